package dev.mailtrail.send.outbox;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Publishes {@link Outbox} rows in id order, a {@link RelayPass} at a time, deleting them only once Kafka acknowledged
 * them, so a crash republishes rather than loses. With several replicas one of them relays at a time (a
 * transaction-scoped advisory lock taken before the rows are read; a replica that does not get it leaves the pass to
 * the one that did), so no record overtakes an earlier one. One relay keeps up with the projection easily; locking
 * each row and each key instead (FOR UPDATE SKIP LOCKED, a lock per key) let replicas relay side by side but made the
 * relay's read a fifth of PostgreSQL's time under load. Runs on its own thread: when a commit that added rows wakes
 * it ({@link Outbox#add}) and every poll interval. A failed pass is retried on the next poll, for ever.
 */
@Component
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    /** The relay's advisory lock ("outb"): held by the one replica relaying. */
    public static final long LOCK_KEY = 0x6f757462L;

    private static final Duration PASS_BOUND = Duration.ofMinutes(1);

    private final RelayPass pass;
    private final OutboxBacklog backlog;
    private final Duration pollInterval;
    private final AtomicBoolean woken = new AtomicBoolean();
    private volatile ScheduledExecutorService executor;

    OutboxRelay(RelayPass pass, OutboxBacklog backlog, OutboxProperties properties) {
        this.pass = pass;
        this.backlog = backlog;
        this.pollInterval = properties.pollInterval();
    }

    /** Asks for a relay pass soon; cheap, coalesces with a pass already asked for. Only {@link Outbox} calls it. */
    void wake() {
        ScheduledExecutorService current = executor;
        if (current != null && woken.compareAndSet(false, true)) {
            try {
                current.execute(this::drain);
            } catch (RejectedExecutionException stopping) {
                woken.set(false);
            }
        }
    }

    private void drain() {
        // cleared first: a wake during this drain asks for another, as its rows may have committed after our read
        woken.set(false);
        try {
            while (pass.run(PASS_BOUND)) {
                // a full pass: more may be waiting
            }
        } catch (RuntimeException e) {
            log.warn("Outbox relay pass failed, retrying on the next poll: {}", e.toString());
        }
        backlog.measure(PASS_BOUND);
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
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return executor != null;
    }
}
