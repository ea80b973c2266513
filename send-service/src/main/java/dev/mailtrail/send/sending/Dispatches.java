package dev.mailtrail.send.sending;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.outbox.Outbox;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * What the calls of send_dispatch came to, and the send_request rows in them. Every method is one short transaction
 * and blocks (the sender's threads only); no transaction stays open during a call to Resend. {@link Claims} takes the
 * calls for their attempts.
 */
@Repository
class Dispatches {

    static final Duration BOUND = Duration.ofMinutes(1);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final Outbox outbox;

    Dispatches(DatabaseClient db, TransactionalOperator transaction, Outbox outbox) {
        this.db = db;
        this.transaction = transaction;
        this.outbox = outbox;
    }

    /**
     * What a finished member (one message of an activity) became: SENT with Resend's id, FAILED with the reason, or
     * REVIEW.
     */
    record Finished(
            @JsonProperty("activity_id") String activityId,
            @JsonProperty("recipient_index") int recipientIndex,
            String status,
            @JsonProperty("message_id") String messageId,
            String reason) {

        Finished(Dispatch.Member member, String status, String messageId, String reason) {
            this(member.activityId(), member.recipientIndex(), status, messageId, reason);
        }
    }

    /** Another attempt at {@code next}; false when this attempt had lost its lease to another one. */
    boolean retry(Dispatch dispatch, Instant next, boolean inDoubt, String outcome) {
        return db.sql("""
                UPDATE send_dispatch SET next_attempt_at = $3, in_doubt = $4, last_outcome = $5
                WHERE idempotency_key = $1 AND attempts = $2 AND finished_at IS NULL""")
                .bind(0, dispatch.key())
                .bind(1, dispatch.attempts())
                .bind(2, utc(next))
                .bind(3, inDoubt)
                .bind(4, outcome)
                .fetch()
                .rowsUpdated()
                .map(updated -> updated == 1)
                .block(BOUND);
    }

    /**
     * The call is over: its members' outcomes and the facts to publish, in one transaction. False (and nothing
     * written) when this attempt had lost its lease to another one.
     */
    boolean finish(Dispatch dispatch, Instant now, String outcome, List<Finished> members, List<Outbox.Message> facts) {
        return end(dispatch, now, outcome)
                .flatMap(ended -> db.sql("""
                        UPDATE send_request r SET status = f.status, provider_message_id = f.message_id,
                            failure_reason = f.reason, updated_at = $2
                        FROM json_to_recordset($1::json) AS f(activity_id text, recipient_index int, status text,
                            message_id text, reason text)
                        WHERE r.dispatch_key = $3 AND r.activity_id = f.activity_id
                          AND r.recipient_index = f.recipient_index""")
                        .bind(0, WireJson.mapper().writeValueAsString(members))
                        .bind(1, utc(now))
                        .bind(2, dispatch.key())
                        .then()
                        .then(outbox.add(facts))
                        .thenReturn(true))
                .defaultIfEmpty(false)
                .as(transaction::transactional)
                .block(BOUND);
    }

    /**
     * Resend refused the batch whole: it ends as {@code split} and each member becomes a call of its own
     * ({@link Dispatch#singleKey}, due now), in one transaction. False (nothing written) when this attempt had lost
     * its lease to another one.
     */
    boolean split(Dispatch dispatch, Instant now) {
        String[] ids =
                dispatch.members().stream().map(Dispatch.Member::activityId).toArray(String[]::new);
        Integer[] indexes =
                dispatch.members().stream().map(Dispatch.Member::recipientIndex).toArray(Integer[]::new);
        String[] keys = dispatch.members().stream().map(Dispatch::singleKey).toArray(String[]::new);
        // attempts 0 and not in doubt: the next claim makes attempt 1; first_attempt_at is now, a little before it
        return end(dispatch, now, "split")
                .flatMap(ended -> db.sql("""
                        INSERT INTO send_dispatch (idempotency_key, batch, attempts, first_attempt_at, in_doubt,
                            next_attempt_at)
                        SELECT key, false, 0, $2, false, $2 FROM unnest($1::text[]) AS key""")
                        .bind(0, keys)
                        .bind(1, utc(now))
                        .then()
                        .then(db.sql("""
                                UPDATE send_request r SET dispatch_key = m.key, dispatch_index = 0
                                FROM unnest($2::text[], $3::text[], $4::int[]) AS m(activity_id, key, recipient_index)
                                WHERE r.dispatch_key = $1 AND r.activity_id = m.activity_id
                                  AND r.recipient_index = m.recipient_index""")
                                .bind(0, dispatch.key())
                                .bind(1, ids)
                                .bind(2, keys)
                                .bind(3, indexes)
                                .then())
                        .thenReturn(true))
                .defaultIfEmpty(false)
                .as(transaction::transactional)
                .block(BOUND);
    }

    /** Ends this attempt's call; empty when the attempt had lost its lease to another one. */
    private Mono<Long> end(Dispatch dispatch, Instant now, String outcome) {
        return db.sql("""
                UPDATE send_dispatch SET finished_at = $3, last_outcome = $4
                WHERE idempotency_key = $1 AND attempts = $2 AND finished_at IS NULL""")
                .bind(0, dispatch.key())
                .bind(1, dispatch.attempts())
                .bind(2, utc(now))
                .bind(3, outcome)
                .fetch()
                .rowsUpdated()
                .filter(updated -> updated == 1);
    }

    /** Accepted requests without an outcome yet. */
    long queued() {
        return db.sql("SELECT count(*) AS n FROM send_request WHERE status = 'QUEUED'")
                .map(row -> row.get("n", Long.class))
                .one()
                .blockOptional(BOUND)
                .orElse(0L);
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
