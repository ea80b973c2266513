package dev.mailtrail.send.sending;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.outbox.Outbox;
import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * send_dispatch and the send_request rows in it. Every method is one short transaction and blocks (the sender's
 * threads only); no transaction stays open during a call to Resend. Claims skip rows other replicas hold.
 */
@Repository
class Dispatches {

    private static final Duration BOUND = Duration.ofMinutes(1);
    /** A batch call's body at most (a single email may be larger): one refused for its size would fail them all. */
    static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final Outbox outbox;

    Dispatches(DatabaseClient db, TransactionalOperator transaction, Outbox outbox) {
        this.db = db;
        this.transaction = transaction;
        this.outbox = outbox;
    }

    /** What a finished member became: SENT with Resend's id, FAILED with the reason, or REVIEW. */
    record Finished(@JsonProperty("activity_id") String activityId, String status,
            @JsonProperty("message_id") String messageId, String reason) {
    }

    /**
     * The next call to make, leased until {@code now + lease} (then another attempt may take it over): a due retry,
     * else a new call formed from up to {@code batchSize} requests that have none yet (one: {@code send/<activityId>},
     * several: a batch {@code batch/<uuid>}; the membership is committed before the first attempt).
     */
    Optional<Dispatch> claim(Instant now, Duration lease, int batchSize) {
        Instant until = now.plus(lease);
        return retry(now, until)
                .switchIfEmpty(Mono.defer(() -> form(now, until, batchSize)))
                .flatMap(this::withMembers)
                .as(transaction::transactional)
                .blockOptional(BOUND);
    }

    private Mono<Dispatch> retry(Instant now, Instant until) {
        return db.sql("""
                WITH due AS (
                    SELECT idempotency_key, in_doubt FROM send_dispatch
                    WHERE finished_at IS NULL AND next_attempt_at <= $1
                    ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                UPDATE send_dispatch d SET attempts = d.attempts + 1, in_doubt = true, next_attempt_at = $2
                FROM due WHERE d.idempotency_key = due.idempotency_key
                RETURNING d.idempotency_key, d.batch, d.attempts, d.first_attempt_at, due.in_doubt AS was_in_doubt""")
                .bind(0, utc(now))
                .bind(1, utc(until))
                .map(row -> new Dispatch(row.get("idempotency_key", String.class), row.get("batch", Boolean.class),
                        row.get("attempts", Integer.class),
                        row.get("first_attempt_at", OffsetDateTime.class).toInstant(),
                        row.get("was_in_doubt", Boolean.class), List.of()))
                .one();
    }

    private Mono<Dispatch> form(Instant now, Instant until, int batchSize) {
        return db.sql("""
                SELECT activity_id, octet_length(email::text) AS bytes FROM send_request WHERE dispatch_key IS NULL
                ORDER BY accepted_at, activity_id LIMIT $1 FOR UPDATE SKIP LOCKED""")
                .bind(0, batchSize)
                .map(row -> Map.entry(row.get("activity_id", String.class), row.get("bytes", Integer.class)))
                .all()
                .collectList()
                .filter(waiting -> !waiting.isEmpty())
                .map(Dispatches::withinBodyLimit)
                .flatMap(ids -> {
                    boolean batch = ids.size() > 1;
                    String key = batch ? "batch/" + UUID.randomUUID() : "send/" + ids.get(0);
                    // attempt 1 starts now, in doubt until its outcome is recorded
                    return db.sql("""
                            INSERT INTO send_dispatch (idempotency_key, batch, attempts, first_attempt_at, in_doubt,
                                next_attempt_at) VALUES ($1, $2, 1, $3, true, $4)""")
                            .bind(0, key).bind(1, batch).bind(2, utc(now)).bind(3, utc(until))
                            .then()
                            .then(db.sql("""
                                    UPDATE send_request r SET dispatch_key = $1, dispatch_index = m.ord - 1
                                    FROM unnest($2::text[]) WITH ORDINALITY AS m(activity_id, ord)
                                    WHERE r.activity_id = m.activity_id""")
                                    .bind(0, key).bind(1, ids.toArray(String[]::new)).then())
                            .thenReturn(new Dispatch(key, batch, 1, now, false, List.of()));
                });
    }

    /** The first requests whose emails together stay within {@link #MAX_BATCH_BYTES}; the first one always. */
    static List<String> withinBodyLimit(List<Map.Entry<String, Integer>> waiting) {
        List<String> ids = new ArrayList<>();
        long bytes = 0;
        for (Map.Entry<String, Integer> request : waiting) {
            bytes += request.getValue();
            if (!ids.isEmpty() && bytes > MAX_BATCH_BYTES) {
                break;
            }
            ids.add(request.getKey());
        }
        return ids;
    }

    private Mono<Dispatch> withMembers(Dispatch dispatch) {
        return db.sql("""
                SELECT activity_id, tenant_id, open_tracking, email FROM send_request
                WHERE dispatch_key = $1 ORDER BY dispatch_index""")
                .bind(0, dispatch.key())
                .map(row -> new Dispatch.Member(row.get("activity_id", String.class),
                        row.get("tenant_id", String.class),
                        OpenTracking.valueOf(row.get("open_tracking", String.class)),
                        row.get("email", Json.class).asString()))
                .all()
                .collectList()
                .map(members -> new Dispatch(dispatch.key(), dispatch.batch(), dispatch.attempts(),
                        dispatch.firstAttemptAt(), dispatch.wasInDoubt(), members));
    }

    /** Another attempt at {@code next}; false when this attempt had lost its lease to another one. */
    boolean retry(Dispatch dispatch, Instant next, boolean inDoubt, String outcome) {
        return db.sql("""
                UPDATE send_dispatch SET next_attempt_at = $3, in_doubt = $4, last_outcome = $5
                WHERE idempotency_key = $1 AND attempts = $2 AND finished_at IS NULL""")
                .bind(0, dispatch.key()).bind(1, dispatch.attempts()).bind(2, utc(next)).bind(3, inDoubt)
                .bind(4, outcome)
                .fetch().rowsUpdated()
                .map(updated -> updated == 1)
                .block(BOUND);
    }

    /**
     * The call is over: its members' outcomes and the facts to publish, in one transaction. False (and nothing
     * written) when this attempt had lost its lease to another one.
     */
    boolean finish(Dispatch dispatch, Instant now, String outcome, List<Finished> members,
            List<Outbox.Message> facts) {
        return db.sql("""
                UPDATE send_dispatch SET finished_at = $3, last_outcome = $4
                WHERE idempotency_key = $1 AND attempts = $2 AND finished_at IS NULL""")
                .bind(0, dispatch.key()).bind(1, dispatch.attempts()).bind(2, utc(now)).bind(3, outcome)
                .fetch().rowsUpdated()
                .filter(updated -> updated == 1)
                .flatMap(updated -> db.sql("""
                        UPDATE send_request r SET status = f.status, provider_message_id = f.message_id,
                            failure_reason = f.reason, updated_at = $2
                        FROM json_to_recordset($1::json) AS f(activity_id text, status text, message_id text,
                            reason text)
                        WHERE r.activity_id = f.activity_id""")
                        .bind(0, WireJson.mapper().writeValueAsString(members))
                        .bind(1, utc(now))
                        .then()
                        .then(outbox.add(facts))
                        .thenReturn(true))
                .defaultIfEmpty(false)
                .as(transaction::transactional)
                .block(BOUND);
    }

    /** Accepted requests without an outcome yet. */
    long queued() {
        return db.sql("SELECT count(*) AS n FROM send_request WHERE status = 'QUEUED'")
                .map(row -> row.get("n", Long.class))
                .one()
                .blockOptional(BOUND)
                .orElse(0L);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
