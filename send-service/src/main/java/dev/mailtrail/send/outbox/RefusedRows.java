package dev.mailtrail.send.outbox;

import dev.mailtrail.send.kafka.DeadLetters;
import dev.mailtrail.send.kafka.Faults.DataFault;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Outbox rows Kafka refuses for good (larger than it takes, an invalid topic): moved to {@code outbox_refused} with
 * the reason, in the relay's transaction, so the relay moves on instead of retrying them for ever; counted by
 * {@code mailtrail.kafka.dlt} like a dead letter. Not published to {@code <topic>-dlt}: the same bytes would be
 * refused there too.
 */
@Repository
class RefusedRows {

    private static final Logger log = LoggerFactory.getLogger(RefusedRows.class);

    /** An outbox row and why Kafka refused it. */
    record Refused(long id, String topic, DataFault fault) {}

    private final DatabaseClient db;
    private final DeadLetters deadLetters;

    RefusedRows(DatabaseClient db, DeadLetters deadLetters) {
        this.db = db;
        this.deadLetters = deadLetters;
    }

    /** Copies the rows aside, in the caller's transaction (which then deletes them from outbox). */
    Mono<Void> setAside(List<Refused> refused) {
        if (refused.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                INSERT INTO outbox_refused (id, topic, message_key, payload, supersedable, created_at, reason)
                SELECT o.id, o.topic, o.message_key, o.payload, o.supersedable, o.created_at, r.reason
                FROM outbox o JOIN unnest($1::bigint[], $2::text[]) AS r (id, reason) ON o.id = r.id""")
                .bind(0, refused.stream().map(Refused::id).toArray(Long[]::new))
                .bind(1, refused.stream().map(r -> r.fault().message()).toArray(String[]::new))
                .then();
    }

    /** Once committed: counted and logged (the id, not the key: it names an activity). */
    void committed(List<Refused> refused) {
        for (Refused r : refused) {
            log.warn(
                    "Kafka refused outbox row {} for {} for good; moved to outbox_refused: {}",
                    r.id(),
                    r.topic(),
                    r.fault().message());
            deadLetters.count(r.topic(), r.fault().reason());
        }
    }
}
