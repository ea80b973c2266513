package dev.mailtrail.send.outbox;

import java.util.List;

import dev.mailtrail.send.db.BatchInsert;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * What must reach Kafka once the caller's transaction commits: call {@link #add} inside that transaction, and
 * {@link OutboxRelay#trigger()} after it committed (the relay also polls, so a crash in between only delays).
 * Published at least once, in order per (topic, key).
 */
@Repository
public class Outbox {

    private static final BatchInsert<Message> ROWS = BatchInsert.<Message>into("outbox")
            .column("topic", "text", Message::topic)
            .column("message_key", "text", Message::key)
            .column("payload", "json", Message::payload)
            .column("supersedable", "boolean", Message::supersedable);

    private final DatabaseClient db;

    public Outbox(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Void> add(List<Message> messages) {
        return messages.isEmpty() ? Mono.empty() : ROWS.bind(db.sql(ROWS.sql()), messages).then();
    }

    /**
     * One Kafka record to be; {@code payload} is written with the wire mapping ({@link dev.mailtrail.events.WireJson})
     * and published byte for byte. {@code supersedable}: a newer message with the same topic and key makes this one
     * obsolete (latest state on a compacted topic), so a backlog publishes only the newest and a retried publish
     * never moves a key backwards; facts are not supersedable.
     */
    public record Message(String topic, String key, Object payload, boolean supersedable) {
    }
}
