package dev.mailtrail.send.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.codec.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes {@link Outbox} rows: in id order, waiting for Kafka's acknowledgement (acks=all) before deleting
 * them in the same transaction, so a crash republishes rather than loses. With several replicas each key is
 * relayed by one of them at a time (a transaction-scoped advisory lock per topic and key; rows of keys another
 * replica holds are skipped), so a key's records never overtake each other. Runs on its own thread: after each
 * {@link #trigger()} and every poll interval.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** Advisory-lock namespace (first key) of the relay. */
    private static final int LOCK_SPACE = 0x6f757462;
    private static final Duration PASS_BOUND = Duration.ofMinutes(1);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Duration pollInterval;
    private final int batchSize;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    private volatile ScheduledExecutorService executor;

    OutboxRelay(DatabaseClient db, TransactionalOperator transaction, KafkaTemplate<String, byte[]> kafka,
            MeterRegistry registry, @Value("${mailtrail.outbox.poll-interval:500ms}") Duration pollInterval,
            @Value("${mailtrail.outbox.batch-size:1000}") int batchSize) {
        this.db = db;
        this.transaction = transaction;
        this.kafka = kafka;
        this.pollInterval = pollInterval;
        this.batchSize = batchSize;
        // the span of ids still present (two index lookups), not count(*): counting scanned the churned table
        // after every pass, an eighth of PostgreSQL's time under load. An upper bound when rows were superseded.
        Gauge.builder("mailtrail.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet published (id span), as of the relay's last pass")
                .register(registry);
    }

    /** Ask for a relay pass soon; cheap, coalesces with a pass already asked for. */
    public void trigger() {
        ScheduledExecutorService current = executor;
        if (current != null && triggered.compareAndSet(false, true)) {
            try {
                current.execute(this::drain);
            }
            catch (RejectedExecutionException stopping) {
                triggered.set(false);
            }
        }
    }

    private void drain() {
        triggered.set(false);
        try {
            while (relayOnce() == batchSize) {
                // a full pass: more may be waiting
            }
        }
        catch (RuntimeException e) {
            log.warn("Outbox relay pass failed, retrying on the next poll: {}", e.toString());
        }
        try {
            backlog.set(db.sql("SELECT coalesce(max(id) - min(id) + 1, 0) AS n FROM outbox")
                    .map(row -> row.get("n", Long.class)).one()
                    .blockOptional(PASS_BOUND).orElse(0L));
        }
        catch (RuntimeException e) {
            log.debug("Outbox backlog not counted: {}", e.toString());
        }
    }

    /** One transaction: lock and read up to a batch, publish, wait for the acks, delete. Answers rows handled. */
    private int relayOnce() {
        return db.sql("""
                SELECT id, topic, message_key, payload, supersedable FROM outbox
                WHERE pg_try_advisory_xact_lock($1, hashtext(topic || '/' || message_key))
                ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED""")
                .bind(0, LOCK_SPACE)
                .bind(1, batchSize)
                .map(row -> new Row(row.get("id", Long.class), row.get("topic", String.class),
                        row.get("message_key", String.class), row.get("payload", Json.class).asArray(),
                        row.get("supersedable", Boolean.class)))
                .all()
                .collectList()
                // KafkaTemplate.send may block (metadata, a full buffer): never on the connection's event loop,
                // which other connections share
                .publishOn(Schedulers.boundedElastic())
                .flatMap(rows -> rows.isEmpty() ? Mono.just(0)
                        : publish(rows).then(delete(rows)).thenReturn(rows.size()))
                .as(transaction::transactional)
                .blockOptional(PASS_BOUND).orElse(0);
    }

    private Mono<Void> publish(List<Row> rows) {
        // newest first, to know which supersedable rows have a newer one; then sent oldest first
        Set<String> seen = new HashSet<>();
        List<Row> toSend = new ArrayList<>(rows.size());
        for (int i = rows.size() - 1; i >= 0; i--) {
            Row row = rows.get(i);
            if (seen.add(row.topic() + '/' + row.key()) || !row.supersedable()) {
                toSend.add(row);
            }
        }
        Collections.reverse(toSend);
        List<CompletableFuture<?>> sends = new ArrayList<>(toSend.size());
        for (Row row : toSend) {
            sends.add(kafka.send(row.topic(), row.key(), row.payload()));
        }
        return Mono.fromFuture(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new))).then();
    }

    private Mono<Void> delete(List<Row> rows) {
        return db.sql("DELETE FROM outbox WHERE id = ANY($1)")
                .bind(0, rows.stream().map(Row::id).toArray(Long[]::new))
                .then();
    }

    @Override
    public void start() {
        executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbox-relay");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::drain, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = executor;
        executor = null;
        current.shutdown();
        try {
            current.awaitTermination(PASS_BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }

    private record Row(long id, String topic, String key, byte[] payload, boolean supersedable) {
    }
}
