package dev.mailtrail.simulator.webhooks;

import dev.mailtrail.simulator.SimulatorProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Resend's webhook event log (its Headless Webhook API): every event sent to the one webhook, with its attempts and
 * delivery status, newest first, bounded by {@code history-limit} events (the oldest are forgotten).
 */
@Component
public class WebhookEventLog {

    /** Resend's delivery statuses of an event. */
    public enum Status {
        pending,
        attempting,
        success,
        failed
    }

    /** One event as logged: what was sent, whether chaos lost it, its attempts oldest first. */
    public record Entry(
            PendingWebhook webhook,
            Instant createdAt,
            boolean lost,
            List<DeliveryAttempt> attempts,
            Instant nextAttemptAt,
            boolean gaveUp) {

        public Status status() {
            if (attempts.stream().anyMatch(DeliveryAttempt::succeeded)) {
                return Status.success;
            }
            if (gaveUp) {
                return Status.failed;
            }
            return attempts.isEmpty() ? Status.pending : Status.attempting;
        }
    }

    private final int limit;
    // insertion order = creation order; the list answers newest first
    private final LinkedHashMap<String, Entry> events = new LinkedHashMap<>();

    public WebhookEventLog(SimulatorProperties properties) {
        this.limit = properties.historyLimit();
    }

    synchronized void created(PendingWebhook webhook, Instant at, boolean lost) {
        events.put(webhook.svixId(), new Entry(webhook, at, lost, List.of(), null, false));
        while (events.size() > limit) {
            events.remove(events.keySet().iterator().next());
        }
    }

    synchronized void attempted(DeliveryAttempt attempt) {
        events.computeIfPresent(attempt.svixId(), (id, e) -> {
            List<DeliveryAttempt> attempts = new ArrayList<>(e.attempts());
            attempts.add(attempt);
            return new Entry(e.webhook(), e.createdAt(), e.lost(), List.copyOf(attempts), null, e.gaveUp());
        });
    }

    synchronized void retryAt(String svixId, Instant at) {
        events.computeIfPresent(
                svixId, (id, e) -> new Entry(e.webhook(), e.createdAt(), e.lost(), e.attempts(), at, e.gaveUp()));
    }

    synchronized void gaveUp(String svixId) {
        events.computeIfPresent(
                svixId, (id, e) -> new Entry(e.webhook(), e.createdAt(), e.lost(), e.attempts(), null, true));
    }

    /** Whether chaos decided that the event's automatic attempts all fail. */
    synchronized boolean lost(String svixId) {
        Entry entry = events.get(svixId);
        return entry != null && entry.lost();
    }

    public synchronized Optional<Entry> find(String svixId) {
        return Optional.ofNullable(events.get(svixId));
    }

    /**
     * Up to {@code limit} events, newest first, after the event {@code after} (older than it) when given; one more
     * than asked for is returned when there are more, so the caller can tell {@code has_more}.
     */
    public synchronized List<Entry> page(String after, int limit) {
        List<Entry> newestFirst = new ArrayList<>(events.values());
        Collections.reverse(newestFirst);
        int start = 0;
        if (after != null) {
            int index =
                    newestFirst.stream().map(e -> e.webhook().svixId()).toList().indexOf(after);
            start = index < 0 ? newestFirst.size() : index + 1;
        }
        return List.copyOf(newestFirst.subList(start, Math.min(newestFirst.size(), start + limit + 1)));
    }

    /** The number the next attempt of the event gets (attempts count from 1; a replay is an attempt too). */
    synchronized int nextAttempt(String svixId) {
        Entry entry = events.get(svixId);
        return entry == null
                ? 1
                : entry.attempts().stream()
                                .mapToInt(DeliveryAttempt::attempt)
                                .max()
                                .orElse(0)
                        + 1;
    }

    public synchronized void clear() {
        events.clear();
    }
}
