package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.key;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.send.projection.EngagementFold.Read;
import dev.mailtrail.send.projection.EngagementFold.Recorded;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One activity's recorded opens and clicks in memory, read as {@link RecordedHits} reads activity_event, and
 * folded into as {@link ProjectionBatch} does: record the new events, read what the fold asks for, fold, store the
 * burst flags it found.
 */
final class MemoryHits {

    private final Map<String, Hit> rows = new LinkedHashMap<>();
    private final EngagementRules rules;
    private final List<Read> reads = new ArrayList<>();

    MemoryHits(EngagementRules rules) {
        this.rules = rules;
    }

    /** One batch of never-applied events: the next state, or none when they change nothing. */
    Optional<ActivityState> apply(ActivityState current, String activityId, Collection<EmailEvent> fresh, Instant now) {
        Read read = ActivityFold.reads(current, key(activityId), fresh, rules);
        reads.add(read);
        fresh.stream().filter(Engagement::counts).map(Hit::of).forEach(h -> rows.put(h.eventId(), h));
        ActivityFold.Folded folded = ActivityFold.next(current, key(activityId), fresh, answer(read), rules, now);
        folded.bursts().forEach((id, burst) -> rows.put(id, rows.get(id).withBurst(burst)));
        return folded.state();
    }

    /** The state of these events applied one batch after another, starting from nothing. */
    ActivityState applyAll(String activityId, List<List<EmailEvent>> batches, Instant now) {
        ActivityState state = null;
        for (List<EmailEvent> batch : batches) {
            state = apply(state, activityId, batch, now).orElse(state);
        }
        return state;
    }

    /** The stored rows: every recorded hit with its burst flag. */
    Collection<Hit> rows() {
        return rows.values();
    }

    /** The reads asked for so far, in order. */
    List<Read> reads() {
        return List.copyOf(reads);
    }

    private Recorded answer(Read read) {
        return switch (read.kind()) {
            case NONE, FRESH -> Recorded.nothing(read);
            case ALL -> new Recorded(read, List.copyOf(rows.values()), null, null);
            case DELTA -> {
                Predicate<Hit> counted = h -> h.click()
                        && !h.machine(read.scannerUntil())
                        && !inWindow(read, h)
                        && !(read.ownClicks() && !h.ours());
                yield new Recorded(
                        read,
                        rows.values().stream()
                                .filter(h -> h.click() && inWindow(read, h))
                                .toList(),
                        read.firstFrom() == null
                                ? null
                                : rows.values().stream()
                                        .filter(counted)
                                        .map(Hit::occurredAt)
                                        .filter(at -> !at.isBefore(read.firstFrom()))
                                        .min(Comparator.naturalOrder())
                                        .orElse(null),
                        read.lastTo() == null
                                ? null
                                : rows.values().stream()
                                        .filter(counted)
                                        .map(Hit::occurredAt)
                                        .filter(at -> !at.isAfter(read.lastTo()))
                                        .max(Comparator.naturalOrder())
                                        .orElse(null));
            }
        };
    }

    private static boolean inWindow(Read read, Hit h) {
        return read.windows().stream().anyMatch(w -> w.holds(h.occurredAt()));
    }
}
