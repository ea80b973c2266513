package dev.mailtrail.send.sending;

import static dev.mailtrail.send.sending.Dispatches.BOUND;
import static dev.mailtrail.send.sending.Dispatches.utc;

import dev.mailtrail.events.OpenTracking;
import io.r2dbc.postgresql.codec.Json;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Claims the next call to Resend for an attempt, in one short transaction that blocks (the sender's threads only).
 * Claims skip rows other replicas hold; {@link Dispatches} records what the call came to.
 */
@Repository
class Claims {

    /** A batch call's body at most (a single email may be larger): one refused for its size would fail them all. */
    static final long MAX_BATCH_BYTES = 8L * 1024 * 1024;

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final SendTimeCheck suppressions;

    Claims(DatabaseClient db, TransactionalOperator transaction, SendTimeCheck suppressions) {
        this.db = db;
        this.transaction = transaction;
        this.suppressions = suppressions;
    }

    /**
     * The next call to make, leased until {@code now + lease} (then another attempt may take it over): a due retry,
     * else a new call formed from up to {@code batchSize} requests of one tenant that have none yet, the tenant of the
     * oldest (one: {@link Dispatch#singleKey}, several: a batch {@code batch/<uuid>}; the membership is committed
     * before the first attempt).
     */
    Optional<Dispatch> claim(Instant now, Duration lease, int batchSize) {
        Instant until = now.plus(lease);
        return due(now, until)
                .switchIfEmpty(Mono.defer(() -> form(now, until, batchSize)))
                .flatMap(this::withMembers)
                .as(transaction::transactional)
                .blockOptional(BOUND);
    }

    private Mono<Dispatch> due(Instant now, Instant until) {
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
                .map(row -> new Dispatch(
                        row.get("idempotency_key", String.class),
                        row.get("batch", Boolean.class),
                        row.get("attempts", Integer.class),
                        row.get("first_attempt_at", OffsetDateTime.class).toInstant(),
                        row.get("was_in_doubt", Boolean.class),
                        List.of()))
                .one();
    }

    private Mono<Dispatch> form(Instant now, Instant until, int batchSize) {
        // one tenant per call: Resend refuses a batch whole for one email's fault (an unverified domain), and one
        // tenant's fault must not fail another's emails. LATERAL, so the tenant is a key of
        // send_request_undispatched_by_tenant rather than a filter on a walk past every other tenant's requests
        return db.sql("""
                SELECT oldest.tenant_id, r.activity_id, r.recipient_index, r.per_recipient, r.bytes FROM (
                    SELECT tenant_id FROM send_request WHERE dispatch_key IS NULL
                    ORDER BY accepted_at, activity_id LIMIT 1 FOR UPDATE SKIP LOCKED) oldest
                CROSS JOIN LATERAL (
                    SELECT activity_id, recipient_index, per_recipient, accepted_at,
                        octet_length(email::text) AS bytes FROM send_request
                    WHERE tenant_id = oldest.tenant_id AND dispatch_key IS NULL
                    ORDER BY accepted_at, activity_id, recipient_index LIMIT $1 FOR UPDATE SKIP LOCKED) r
                ORDER BY r.accepted_at, r.activity_id, r.recipient_index""")
                .bind(0, batchSize)
                .map(row -> new Waiting(
                        row.get("tenant_id", String.class),
                        row.get("activity_id", String.class),
                        row.get("recipient_index", Short.class),
                        row.get("per_recipient", Boolean.class),
                        row.get("bytes", Integer.class)))
                .all()
                .collectList()
                .filter(waiting -> !waiting.isEmpty())
                .flatMap(waiting -> {
                    String tenant = waiting.get(0).tenantId();
                    return suppressions
                            .check(tenant, withinBodyLimit(waiting), now)
                            // every one stopped by the suppression list: they are out of the queue, form the next
                            .flatMap(taken -> taken.isEmpty()
                                    ? form(now, until, batchSize)
                                    : dispatch(tenant, taken, now, until));
                });
    }

    /** A new call of these requests, its first attempt starting now. */
    private Mono<Dispatch> dispatch(String tenant, List<Waiting> taken, Instant now, Instant until) {
        boolean batch = taken.size() > 1;
        Waiting first = taken.get(0);
        String key = batch
                ? "batch/" + UUID.randomUUID()
                : Dispatch.singleKey(tenant, first.activityId(), first.recipient());
        // attempt 1 starts now, in doubt until its outcome is recorded
        return db.sql("""
                            INSERT INTO send_dispatch (idempotency_key, batch, attempts, first_attempt_at, in_doubt,
                                next_attempt_at) VALUES ($1, $2, 1, $3, true, $4)""")
                .bind(0, key)
                .bind(1, batch)
                .bind(2, utc(now))
                .bind(3, utc(until))
                .then()
                .then(db.sql("""
                                    UPDATE send_request r SET dispatch_key = $1, dispatch_index = m.ord - 1
                                    FROM unnest($2::text[], $4::int[]) WITH ORDINALITY
                                        AS m(activity_id, recipient_index, ord)
                                    WHERE r.tenant_id = $3 AND r.activity_id = m.activity_id
                                      AND r.recipient_index = m.recipient_index""")
                        .bind(0, key)
                        .bind(1, taken.stream().map(Waiting::activityId).toArray(String[]::new))
                        .bind(2, tenant)
                        .bind(
                                3,
                                taken.stream()
                                        .map(w -> (int) w.recipientIndex())
                                        .toArray(Integer[]::new))
                        .then())
                .thenReturn(new Dispatch(key, batch, 1, now, false, List.of()));
    }

    /** The first requests whose emails together stay within {@link #MAX_BATCH_BYTES}; the first one always. */
    static List<Waiting> withinBodyLimit(List<Waiting> waiting) {
        List<Waiting> taken = new ArrayList<>();
        long bytes = 0;
        for (Waiting request : waiting) {
            bytes += request.bytes();
            if (!taken.isEmpty() && bytes > MAX_BATCH_BYTES) {
                break;
            }
            taken.add(request);
        }
        return taken;
    }

    /**
     * A request (one message of an activity) waiting for a call, of the oldest waiting request's tenant, with the size
     * of its email.
     */
    record Waiting(String tenantId, String activityId, short recipientIndex, boolean perRecipient, int bytes) {

        Integer recipient() {
            return perRecipient ? Integer.valueOf(recipientIndex) : null;
        }
    }

    private Mono<Dispatch> withMembers(Dispatch dispatch) {
        return db.sql("""
                SELECT activity_id, tenant_id, recipient_index, per_recipient, open_tracking, email FROM send_request
                WHERE dispatch_key = $1 ORDER BY dispatch_index""")
                .bind(0, dispatch.key())
                .map(row -> new Dispatch.Member(
                        row.get("activity_id", String.class),
                        row.get("tenant_id", String.class),
                        row.get("recipient_index", Short.class),
                        row.get("per_recipient", Boolean.class),
                        OpenTracking.valueOf(row.get("open_tracking", String.class)),
                        row.get("email", Json.class).asString()))
                .all()
                .collectList()
                .map(members -> new Dispatch(
                        dispatch.key(),
                        dispatch.batch(),
                        dispatch.attempts(),
                        dispatch.firstAttemptAt(),
                        dispatch.wasInDoubt(),
                        members));
    }
}
