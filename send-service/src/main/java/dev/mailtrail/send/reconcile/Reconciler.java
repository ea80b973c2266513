package dev.mailtrail.send.reconcile;

import dev.mailtrail.send.reconcile.ReconcileStore.Handled;
import dev.mailtrail.send.reconcile.WebhookLog.Attempt;
import dev.mailtrail.send.reconcile.WebhookLog.Event;
import dev.mailtrail.send.reconcile.WebhookLog.Page;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * One walk of the webhook's event log, newest first, down to the persisted cursor: every event Resend has not
 * delivered to us (status {@code failed}, or no 2xx although its first attempt is older than the grace period) is
 * replayed, at most once per grace period and {@code max-replays} times; one our ingest answered 4xx on every attempt
 * is refused on purpose, counted once and resolved. The cursor then moves to the oldest event still unresolved (or the
 * newest seen when none is), never past one; a walk cut short by {@code max-pages} leaves it where it was.
 */
@Component
class Reconciler {

    /** What a pass found about one event. */
    enum Verdict {
        RESOLVED,
        IN_FLIGHT,
        MISSING
    }

    private final WebhookLog log;
    private final ReconcileStore store;
    private final ReconcileMetrics metrics;
    private final ReconcileProperties properties;
    private final Clock clock;

    Reconciler(
            WebhookLog log,
            ReconcileStore store,
            ReconcileMetrics metrics,
            ReconcileProperties properties,
            Clock clock) {
        this.log = log;
        this.store = store;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /** Walks once; answers how many events are missing (undelivered past the grace period). */
    long walk(String webhookId) {
        Optional<String> cursor = store.cursor(webhookId);
        String after = null;
        String newest = null;
        String oldestUnresolved = null;
        long missing = 0;
        boolean complete = false;
        for (int page = 0; page < properties.maxPages() && !complete; page++) {
            Page events = log.events(webhookId, after, properties.pageLimit());
            for (Event event : events.events()) {
                newest = newest == null ? event.id() : newest;
                Verdict verdict = judge(webhookId, event);
                if (verdict != Verdict.RESOLVED) {
                    oldestUnresolved = event.id();
                }
                missing += verdict == Verdict.MISSING ? 1 : 0;
                if (cursor.isPresent() && cursor.get().equals(event.id())) {
                    complete = true;
                    break;
                }
                after = event.id();
            }
            complete = complete || !events.hasMore() || events.events().isEmpty();
        }
        String moveTo = oldestUnresolved != null ? oldestUnresolved : newest;
        if (complete && moveTo != null) {
            store.moveCursor(webhookId, moveTo, clock.instant());
        }
        store.forgetOlderThan(clock.instant().minus(ReconcileStore.FORGET_AFTER));
        metrics.missing(missing);
        return missing;
    }

    private Verdict judge(String webhookId, Event event) {
        if ("success".equals(event.status())) {
            return Verdict.RESOLVED; // our ingest acknowledged it: never replayed
        }
        Instant now = clock.instant();
        Instant graceStart = now.minus(properties.grace());
        boolean failed = "failed".equals(event.status());
        // the first attempt is no older than the event: a young event needs no look at its attempts
        if (!failed && event.createdAt() != null && event.createdAt().isAfter(graceStart)) {
            return Verdict.IN_FLIGHT;
        }
        Handled handled = store.handled(webhookId, event.id());
        if (handled.refused()) {
            return Verdict.RESOLVED;
        }
        List<Attempt> attempts = log.attempts(webhookId, event.id());
        if (attempts.stream().anyMatch(a -> a.httpStatus() >= 200 && a.httpStatus() < 300)) {
            return Verdict.RESOLVED;
        }
        if (!attempts.isEmpty() && attempts.stream().allMatch(a -> a.httpStatus() >= 400 && a.httpStatus() < 500)) {
            store.refused(webhookId, event.id(), now);
            metrics.refused();
            return Verdict.RESOLVED;
        }
        Instant first = attempts.stream()
                .map(Attempt::at)
                .filter(at -> at != null)
                .min(Instant::compareTo)
                .orElse(event.createdAt());
        if (!failed && (first == null || first.isAfter(graceStart))) {
            return Verdict.IN_FLIGHT;
        }
        boolean due =
                handled.lastReplayedAt() == null || !handled.lastReplayedAt().isAfter(graceStart);
        if (handled.replays() < properties.maxReplays() && due) {
            log.replay(webhookId, event.id());
            store.replayed(webhookId, event.id(), now);
            metrics.replayed();
        }
        return Verdict.MISSING;
    }
}
