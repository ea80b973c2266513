package dev.mailtrail.send.sending;

import dev.mailtrail.send.resend.ResendClient;
import dev.mailtrail.send.resend.ResendOutcome;
import dev.mailtrail.send.resend.ResendProperties;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends the accepted requests through Resend on its own threads, where blocking is fine: claim the next call (a due
 * retry, else the requests waiting, batched when more than one), make it, record its outcome. Several replicas share
 * the work (claims skip locked rows). Crash-safe: a call and its members are committed before the first attempt, and
 * an attempt nobody recorded is made again under the same key once its lease has run out, so Resend answers it with
 * the first response and sends one email.
 */
@Component
public class Sender implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Sender.class);

    private final Claims claims;
    private final ResendClient resend;
    private final Outcomes outcomes;
    private final Dispatches dispatches;
    private final SendingProperties properties;
    private final SendMetrics metrics;
    private final Duration lease;
    private final Clock clock;
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private volatile ExecutorService workers;

    Sender(
            Claims claims,
            ResendClient resend,
            Outcomes outcomes,
            Dispatches dispatches,
            SendingProperties properties,
            SendMetrics metrics,
            ResendProperties resendProperties,
            Clock clock) {
        this.clock = clock;
        this.claims = claims;
        this.resend = resend;
        this.outcomes = outcomes;
        this.dispatches = dispatches;
        this.properties = properties;
        this.metrics = metrics;
        // covers the call and a quiet period Resend asked for; an attempt taken over while still going is harmless
        // (same key), only wasteful
        this.lease = resendProperties.callBound().multipliedBy(2).plusMinutes(1);
    }

    /** New requests are waiting: wake a sender now rather than at its next poll. Cheap. */
    public void trigger() {
        wakeups.release();
    }

    /** One call, if one is due: claim, send, record. Answers whether there was one. */
    boolean sendOne() {
        Optional<Dispatch> claimed = claim();
        if (claimed.isEmpty()) {
            return false;
        }
        Dispatch dispatch = claimed.get();
        if (dispatch.outsideKeyWindow(clock.instant(), properties.keyWindow())) {
            outcomes.review(dispatch);
        } else {
            outcomes.record(dispatch, call(dispatch));
        }
        return true;
    }

    Optional<Dispatch> claim() {
        return claims.claim(clock.instant(), lease, properties.batchSize());
    }

    ResendOutcome call(Dispatch dispatch) {
        return resend.send(
                dispatch.batch(),
                dispatch.key(),
                dispatch.body(),
                dispatch.members().size());
    }

    private void work() {
        while (running) {
            boolean busy = false;
            try {
                busy = sendOne();
                metrics.pending(dispatches.queued());
            } catch (RuntimeException e) {
                log.warn("Sending pass failed, trying again after {}: {}", properties.pollInterval(), e.toString());
            }
            if (!busy) {
                idle();
            }
        }
    }

    private void idle() {
        try {
            if (wakeups.tryAcquire(properties.pollInterval().toMillis(), TimeUnit.MILLISECONDS)) {
                wakeups.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void start() {
        AtomicInteger number = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(properties.workers(), runnable -> {
            Thread thread = new Thread(runnable, "sender-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        running = true;
        for (int i = 0; i < properties.workers(); i++) {
            pool.execute(this::work);
        }
        workers = pool;
    }

    /** Lets calls in flight finish and record their outcome, so a restart has nothing in doubt. */
    @Override
    public void stop() {
        ExecutorService pool = workers;
        workers = null;
        running = false;
        if (pool == null) {
            return;
        }
        wakeups.release(properties.workers());
        pool.shutdown();
        try {
            pool.awaitTermination(lease.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return workers != null;
    }
}
