package dev.mailtrail.send.outbox;

import dev.mailtrail.send.kafka.Faults;
import dev.mailtrail.send.outbox.RefusedRows.Refused;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One relay pass, one transaction: take the relay's lock, read up to a batch, publish, wait for the acks (acks=all),
 * delete. A row Kafka refuses for good (too large, see {@link Faults}) is set aside ({@link RefusedRows}); any other
 * failure fails the pass. The rows are read by a statement after the one that took the lock, so they are read with a
 * snapshot that sees everything the previous holder deleted.
 */
@Component
class RelayPass {

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final KafkaTemplate<String, byte[]> kafka;
    private final RefusedRows refusedRows;
    private final OutboxBacklog backlog;
    private final int batchSize;

    RelayPass(
            DatabaseClient db,
            TransactionalOperator transaction,
            KafkaTemplate<String, byte[]> kafka,
            RefusedRows refusedRows,
            OutboxBacklog backlog,
            OutboxProperties properties) {
        this.db = db;
        this.transaction = transaction;
        this.kafka = kafka;
        this.refusedRows = refusedRows;
        this.backlog = backlog;
        this.batchSize = properties.batchSize();
    }

    /** Whether a pass may have left rows behind (it handled a full batch). */
    boolean run(Duration bound) {
        return db.sql("SELECT pg_try_advisory_xact_lock($1) AS relaying")
                .bind(0, OutboxRelay.LOCK_KEY)
                .map(row -> row.get("relaying", Boolean.class))
                .one()
                .flatMapMany(relaying -> relaying ? oldest() : Flux.empty())
                .collectList()
                // KafkaTemplate.send may block (metadata, a full buffer): never on the connection's event loop,
                // which other connections share
                .publishOn(Schedulers.boundedElastic())
                .flatMap(rows -> rows.isEmpty()
                        ? Mono.just(Pass.NONE)
                        : publish(rows)
                                .flatMap(refused -> refusedRows
                                        .setAside(refused)
                                        .then(delete(rows))
                                        .thenReturn(new Pass(rows, refused))))
                .as(transaction::transactional)
                .blockOptional(bound)
                .map(this::committed)
                .orElse(false);
    }

    private boolean committed(Pass pass) {
        if (!pass.rows().isEmpty()) {
            backlog.relayed(pass.rows().get(pass.rows().size() - 1).id());
        }
        refusedRows.committed(pass.refused());
        return pass.rows().size() == batchSize;
    }

    private Flux<Row> oldest() {
        return db.sql("SELECT id, topic, message_key, payload, supersedable FROM outbox ORDER BY id LIMIT $1")
                .bind(0, batchSize)
                .map(row -> new Row(
                        row.get("id", Long.class),
                        row.get("topic", String.class),
                        row.get("message_key", String.class),
                        bytes(row.get("payload", String.class)),
                        row.get("supersedable", Boolean.class)))
                .all();
    }

    /** Publishes, waits for every acknowledgement; answers the rows Kafka refused for good, fails otherwise. */
    private Mono<List<Refused>> publish(List<Row> rows) {
        List<CompletableFuture<Optional<Refused>>> sends = newest(rows).stream()
                .map(row -> send(row)
                        .handle((acknowledged, e) -> e == null
                                ? Optional.<Refused>empty()
                                : Optional.of(new Refused(
                                        row.id(),
                                        row.topic(),
                                        Faults.dataFault(e).orElseThrow(() -> new CompletionException(e))))))
                .toList();
        return Mono.fromFuture(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)))
                .then(Mono.fromCallable(() ->
                        sends.stream().flatMap(send -> send.join().stream()).toList()));
    }

    /**
     * The rows worth sending, oldest first: every fact, and of the supersedable rows only the newest per topic and
     * key (found walking newest first).
     */
    private static List<Row> newest(List<Row> rows) {
        Set<String> seen = new HashSet<>();
        List<Row> toSend = new ArrayList<>(rows.size());
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row row = rows.get(i);
            if (seen.add(row.topic() + '/' + row.key()) || !row.supersedable()) {
                toSend.add(row);
            }
        }
        Collections.reverse(toSend);
        return toSend;
    }

    private CompletableFuture<?> send(Row row) {
        try {
            return kafka.send(row.topic(), row.key(), row.payload());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Mono<Void> delete(List<Row> rows) {
        return db.sql("DELETE FROM outbox WHERE id = ANY($1)")
                .bind(0, rows.stream().map(Row::id).toArray(Long[]::new))
                .then();
    }

    /** A row without a payload is a tombstone: a null value, which deletes its key from a compacted topic. */
    private static byte[] bytes(String payload) {
        return payload == null ? null : payload.getBytes(StandardCharsets.UTF_8);
    }

    private record Row(long id, String topic, String key, byte[] payload, boolean supersedable) {}

    /** A pass's rows (published or set aside, all deleted) and those Kafka refused. */
    private record Pass(List<Row> rows, List<Refused> refused) {
        static final Pass NONE = new Pass(List.of(), List.of());
    }
}
