package dev.mailtrail.send.sending;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.outbox.OutboxRelay;
import dev.mailtrail.send.resend.ResendClient;
import dev.mailtrail.send.resend.ResendOutcome;
import dev.mailtrail.send.resend.ResendProperties;
import dev.mailtrail.send.sending.Dispatches.Finished;
import dev.mailtrail.send.sending.SendMetrics.Outcome;
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
    private static final String REVIEW_REASON = "an attempt of unknown outcome is older than Resend's idempotency "
            + "window: another attempt could send a second email";

    private final Dispatches dispatches;
    private final ResendClient resend;
    private final OutboxRelay relay;
    private final SendingProperties properties;
    private final SendMetrics metrics;
    private final Duration lease;
    private final Clock clock = Clock.systemUTC();
    private final Semaphore wakeups = new Semaphore(0);
    private volatile boolean running;
    private volatile ExecutorService workers;

    Sender(Dispatches dispatches, ResendClient resend, OutboxRelay relay, SendingProperties properties,
            SendMetrics metrics, ResendProperties resendProperties) {
        this.dispatches = dispatches;
        this.resend = resend;
        this.relay = relay;
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
            review(dispatch);
        }
        else {
            record(dispatch, call(dispatch));
        }
        return true;
    }

    Optional<Dispatch> claim() {
        return dispatches.claim(clock.instant(), lease, properties.batchSize());
    }

    ResendOutcome call(Dispatch dispatch) {
        return resend.send(dispatch.batch(), dispatch.key(), dispatch.body(), dispatch.members().size());
    }

    void record(Dispatch dispatch, ResendOutcome outcome) {
        Instant now = clock.instant();
        int emails = dispatch.members().size();
        if (outcome instanceof ResendOutcome.Retry retry) {
            Instant next = now.plus(properties.backoff(dispatch.attempts()));
            if (retry.earliest() != null && retry.earliest().isAfter(next)) {
                next = retry.earliest();
            }
            String reason = retry.reason().name().toLowerCase(Locale.ROOT);
            if (dispatches.retry(dispatch, next, dispatch.wasInDoubt() || retry.maybeSent(), reason)) {
                metrics.count(Outcome.valueOf(retry.reason().name()), emails);
                log.info("{} ({} emails): {}, next attempt at {}", dispatch.key(), emails, reason, next);
            }
            return;
        }
        List<ResendOutcome.Result> results = outcome instanceof ResendOutcome.Accepted accepted ? accepted.results()
                : Collections.nCopies(emails,
                        new ResendOutcome.Result(null, ((ResendOutcome.Rejected) outcome).reason()));
        List<Finished> finished = new ArrayList<>(emails);
        List<Outbox.Message> facts = new ArrayList<>(emails);
        int sent = 0;
        for (int i = 0; i < emails; i++) {
            Dispatch.Member member = dispatch.members().get(i);
            ResendOutcome.Result result = results.get(i);
            if (result.messageId() != null) {
                sent++;
                finished.add(new Finished(member.activityId(), "SENT", result.messageId(), null));
                facts.add(SendFacts.message(SendFacts.sent(member, result.messageId(), now)));
            }
            else {
                log.warn("Resend refused the email of activity {}: {}", member.activityId(), result.error());
                finished.add(new Finished(member.activityId(), "FAILED", null, result.error()));
                facts.add(SendFacts.message(SendFacts.failed(member, result.error(), now)));
            }
        }
        if (dispatches.finish(dispatch, now, sent > 0 ? "sent" : "failed", finished, facts)) {
            metrics.count(Outcome.SENT, sent);
            metrics.count(Outcome.FAILED, emails - sent);
            relay.trigger();
        }
    }

    private void review(Dispatch dispatch) {
        List<Finished> flagged = dispatch.members().stream()
                .map(member -> new Finished(member.activityId(), "REVIEW", null, REVIEW_REASON))
                .toList();
        if (dispatches.finish(dispatch, clock.instant(), "review", flagged, List.of())) {
            metrics.count(Outcome.REVIEW, flagged.size());
            log.warn("{} ({} emails) flagged for review, not sent again: {}", dispatch.key(), flagged.size(),
                    REVIEW_REASON);
        }
    }

    private void work() {
        while (running) {
            boolean busy = false;
            try {
                busy = sendOne();
                metrics.pending(dispatches.queued());
            }
            catch (RuntimeException e) {
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
        }
        catch (InterruptedException e) {
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
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return workers != null;
    }
}
