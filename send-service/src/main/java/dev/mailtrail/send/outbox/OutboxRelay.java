package dev.mailtrail.send.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.mailtrail.send.kafka.Faults;
import dev.mailtrail.send.outbox.RefusedRows.Refused;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes {@link Outbox} rows: in id order, waiting for Kafka's acknowledgement (acks=all) before deleting
 * them in the same transaction, so a crash republishes rather than loses. With several replicas one of them
 * relays at a time (a transaction-scoped advisory lock taken before the rows are read; a replica that does not
 * get it leaves the pass to the one that did), so no record overtakes an earlier one. One relay keeps up with
 * the projection easily; locking each row and each key instead (FOR UPDATE SKIP LOCKED, a lock per key) let
 * replicas relay side by side but made the relay's read a fifth of PostgreSQL's time under load. Runs on its own
 * thread: after each {@link #trigger()} and every poll interval. A row Kafka refuses for good (too large, see
 * {@link Faults}) is set aside ({@link RefusedRows}) and the pass goes on; any other failure fails the pass, retried
 * on the next poll, for ever.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** The relay's advisory lock ("outb"): held by the one replica relaying. */
    public static final long LOCK_KEY = 0x6f757462L;
    private static final Duration PASS_BOUND = Duration.ofMinutes(1);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final KafkaTemplate<String, byte[]> kafka;
    private final RefusedRows refusedRows;
    private final Duration pollInterval;
    private final int batchSize;
    private final AtomicBoolean triggered = new AtomicBoolean();
    private final AtomicLong backlog = new AtomicLong();
    /**
     * The highest id this relay deleted, where the backlog gauge starts counting. A row with a lower id committed
     * after it was relayed (ids are taken at insert, not at commit) is relayed by the next pass as usual, but the
     * gauge misses it meanwhile. Touched only on the relay's thread.
     */
    private long relayedUpTo;
    private volatile ScheduledExecutorService executor;

    OutboxRelay(DatabaseClient db, TransactionalOperator transaction, KafkaTemplate<String, byte[]> kafka,
            RefusedRows refusedRows, MeterRegistry registry,
            @Value("${mailtrail.outbox.poll-interval:500ms}") Duration pollInterval,
            @Value("${mailtrail.outbox.batch-size:1000}") int batchSize) {
        this.db = db;
        this.transaction = transaction;
        this.kafka = kafka;
        this.refusedRows = refusedRows;
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
            // above the last id this relay deleted: the index scan for min(id) would otherwise walk every entry
            // of the rows just deleted (not vacuumed yet), milliseconds per pass under load
            backlog.set(db.sql("SELECT coalesce(max(id) - min(id) + 1, 0) AS n FROM outbox WHERE id > $1")
                    .bind(0, relayedUpTo)
                    .map(row -> row.get("n", Long.class)).one()
                    .blockOptional(PASS_BOUND).orElse(0L));
        }
        catch (RuntimeException e) {
            log.debug("Outbox backlog not counted: {}", e.toString());
        }
    }

    /**
     * One transaction: take the relay's lock, read up to a batch, publish, wait for the acks, delete. Answers rows
     * handled (none when another replica holds the lock). The rows are read by a statement after the one that
     * took the lock, so they are read with a snapshot that sees everything the previous holder deleted.
     */
    private int relayOnce() {
        return db.sql("SELECT pg_try_advisory_xact_lock($1) AS relaying")
                .bind(0, LOCK_KEY)
                .map(row -> row.get("relaying", Boolean.class))
                .one()
                .flatMapMany(relaying -> relaying ? oldest() : Flux.empty())
                .collectList()
                // KafkaTemplate.send may block (metadata, a full buffer): never on the connection's event loop,
                // which other connections share
                .publishOn(Schedulers.boundedElastic())
                .flatMap(rows -> rows.isEmpty() ? Mono.just(Pass.NONE)
                        : publish(rows).flatMap(refused -> refusedRows.setAside(refused)
                                .then(delete(rows))
                                .thenReturn(new Pass(rows, refused))))
                .as(transaction::transactional)
                .blockOptional(PASS_BOUND)
                .map(pass -> {
                    if (!pass.rows().isEmpty()) {
                        relayedUpTo = Math.max(relayedUpTo, pass.rows().get(pass.rows().size() - 1).id());
                    }
                    refusedRows.committed(pass.refused());
                    return pass.rows().size();
                })
                .orElse(0);
    }

    private Flux<Row> oldest() {
        return db.sql("SELECT id, topic, message_key, payload, supersedable FROM outbox ORDER BY id LIMIT $1")
                .bind(0, batchSize)
                .map(row -> new Row(row.get("id", Long.class), row.get("topic", String.class),
                        row.get("message_key", String.class), row.get("payload", Json.class).asArray(),
                        row.get("supersedable", Boolean.class)))
                .all();
    }

    /** Publishes, waits for every acknowledgement; answers the rows Kafka refused for good, fails otherwise. */
    private Mono<List<Refused>> publish(List<Row> rows) {
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
        List<CompletableFuture<Optional<Refused>>> sends = new ArrayList<>(toSend.size());
        for (Row row : toSend) {
            sends.add(send(row).handle((acknowledged, e) -> e == null ? Optional.empty() : Optional.of(new Refused(
                    row.id(), row.topic(), Faults.dataFault(e).orElseThrow(() -> new CompletionException(e))))));
        }
        return Mono.fromFuture(CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)))
                .then(Mono.fromCallable(() -> sends.stream().flatMap(send -> send.join().stream()).toList()));
    }

    private CompletableFuture<?> send(Row row) {
        try {
            return kafka.send(row.topic(), row.key(), row.payload());
        }
        catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
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

    /** A pass's rows (published or set aside, all deleted) and those Kafka refused. */
    private record Pass(List<Row> rows, List<Refused> refused) {
        static final Pass NONE = new Pass(List.of(), List.of());
    }
}
