package dev.mailtrail.send.outbox;

import dev.mailtrail.send.db.BatchInsert;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.NoTransactionException;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Mono;

/**
 * What must reach Kafka once the caller's transaction commits: call {@link #add} inside that transaction, and the
 * relay is woken when it commits (never when it rolls back; outside a transaction, right after the write). The relay
 * also polls, so a crash between commit and wake only delays. Published at least once, in order per (topic, key).
 */
@Repository
public class Outbox {

    private static final BatchInsert<Message> ROWS = BatchInsert.<Message>into("outbox")
            .column("topic", "text", Message::topic)
            .column("message_key", "text", Message::key)
            .jsonText("payload", Message::payload)
            .column("supersedable", "boolean", Message::supersedable);

    private final DatabaseClient db;
    private final OutboxRelay relay;
    /** One instance: a transaction keeps a set of synchronisations, so adding many times wakes the relay once. */
    private final TransactionSynchronization wakeOnCommit;

    Outbox(DatabaseClient db, OutboxRelay relay) {
        this.db = db;
        this.relay = relay;
        this.wakeOnCommit = new TransactionSynchronization() {
            @Override
            public Mono<Void> afterCommit() {
                return Mono.fromRunnable(relay::wake);
            }
        };
    }

    public Mono<Void> add(List<Message> messages) {
        return messages.isEmpty()
                ? Mono.empty()
                : ROWS.bind(db.sql(ROWS.sql()), messages).then().then(wakeRelay());
    }

    /** Registers the wake for the caller's commit, or wakes the relay now when there is no transaction. */
    private Mono<Void> wakeRelay() {
        return TransactionSynchronizationManager.forCurrentTransaction()
                .filter(TransactionSynchronizationManager::isSynchronizationActive)
                .onErrorResume(NoTransactionException.class, none -> Mono.empty())
                .doOnNext(current -> current.registerSynchronization(wakeOnCommit))
                .switchIfEmpty(Mono.fromRunnable(relay::wake))
                .then();
    }

    /**
     * One Kafka record to be; {@code payload} is written with the wire mapping ({@link dev.mailtrail.events.WireJson})
     * and published byte for byte. {@code supersedable}: a newer message with the same topic and key makes this one
     * obsolete (latest state on a compacted topic), so a backlog publishes only the newest and a retried publish
     * never moves a key backwards; facts are not supersedable. A null {@code payload} is a tombstone (a removal on a
     * compacted topic).
     */
    public record Message(String topic, String key, Object payload, boolean supersedable) {}
}
