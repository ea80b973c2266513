package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.send.projection.Engagement.Tallies;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An activity's {@link Engagement} moved on by one batch's new hits, at a cost that does not grow with the hits it
 * already has. What makes that exact: a hit is too soon by itself and the activity's earliest delivery, and a click
 * is in a burst by the clicks within {@code burstWindow} of it. So while the delivery time stays, a new open needs
 * nothing read; new clicks need the recorded clicks within the window of them, whose stored burst flags ({@link Hit})
 * say what the state counted them as. Burst membership only grows as clicks arrive, so a counted click can only
 * turn a machine's, and only there; when the first or last counted click is among those, the nearest counted one
 * outside the windows is read. An earlier delivery (a single-shot fact: rare) recounts every hit. The result is
 * the engagement of the set of hits whatever the arrival order and batch split (DESIGN rule 2). So does our own
 * tracking coming to be known for a kind (its declaration or first hit arriving after the provider's hits, which
 * then turn corroboration: {@link Corroboration}); it can happen twice per activity at most.
 */
final class EngagementFold {

    /**
     * NONE: no new hit and no earlier delivery, nothing moves. FRESH: the activity had no hit, the new ones are all
     * there is. DELTA: new hits, same delivery time. ALL: an earlier delivery of an activity with hits, or our own
     * tracking of a kind newly known.
     */
    enum Kind {
        NONE,
        FRESH,
        DELTA,
        ALL
    }

    /** A closed interval of time. */
    record Window(Instant from, Instant to) {

        boolean holds(Instant at) {
            return !at.isBefore(from) && !at.isAfter(to);
        }
    }

    /**
     * What folding one activity's new events needs read of its recorded hits: for DELTA, the clicks in
     * {@code windows} (merged, in time order), and, when the first or last counted click lies in one
     * ({@code firstFrom}, {@code lastTo}), the nearest counted click outside them from there on (back); for ALL,
     * every hit. {@code scannerUntil}: the activity's, and {@code ownClicks}: whether only our own clicks count (the
     * provider's corroborate), which together say which clicks count.
     */
    record Read(
            String activityId,
            Kind kind,
            List<Window> windows,
            Instant firstFrom,
            Instant lastTo,
            Instant scannerUntil,
            boolean ownClicks) {

        boolean readsWindows() {
            return kind == Kind.DELTA && !windows.isEmpty();
        }

        boolean readsBounds() {
            return kind == Kind.DELTA && (firstFrom != null || lastTo != null);
        }
    }

    /**
     * The answer to a {@link Read}: the hits it asked for as stored (the batch's own new ones may be among them),
     * and the counted clicks outside the windows nearest the old first and last.
     */
    record Recorded(Read read, List<Hit> hits, Instant firstOutside, Instant lastOutside) {

        static Recorded nothing(Read read) {
            return new Recorded(read, List.of(), null, null);
        }
    }

    /** The next engagement, and the burst flags of hits (by id) that must be stored. */
    record Result(Engagement engagement, Map<String, Boolean> bursts) {}

    private EngagementFold() {}

    static Read plan(
            ActivityState current, String activityId, Collection<EmailEvent> newEvents, EngagementRules rules) {
        boolean hits = newEvents.stream().anyMatch(Engagement::counts);
        OwnTracking before = current == null ? OwnTracking.NONE : current.ownTracking();
        OwnTracking own = Corroboration.observed(before, newEvents);
        if (engaged(current) && (earlierDelivery(current, newEvents) || Corroboration.widened(before, own))) {
            return read(activityId, Kind.ALL, null);
        }
        if (!hits) {
            return read(activityId, Kind.NONE, null);
        }
        if (!engaged(current)) {
            return read(activityId, Kind.FRESH, null);
        }
        List<Window> windows = windows(newEvents, own, rules);
        Instant first = current.firstClickedAt();
        Instant last = current.lastClickedAt();
        return new Read(
                activityId,
                Kind.DELTA,
                windows,
                first != null && within(windows, first) ? first : null,
                last != null && within(windows, last) ? last : null,
                rules.scannerUntil(current.deliveredAt()),
                own.clicks());
    }

    private static boolean earlierDelivery(ActivityState current, Collection<EmailEvent> newEvents) {
        return newEvents.stream()
                .anyMatch(e -> e.type() == EmailEventType.DELIVERED
                        && (current.deliveredAt() == null || e.occurredAt().isBefore(current.deliveredAt())));
    }

    private static Read read(String activityId, Kind kind, Instant scannerUntil) {
        return new Read(activityId, kind, List.of(), null, null, scannerUntil, false);
    }

    /**
     * {@code current} moved on by {@code newHits} (distinct, never applied); null when nothing moves. {@code own}:
     * what our tracking observes, these hits included.
     */
    static Result apply(
            ActivityState current,
            Instant deliveredAt,
            OwnTracking own,
            Collection<Hit> newHits,
            Recorded recorded,
            EngagementRules rules) {
        Instant scannerUntil = rules.scannerUntil(deliveredAt);
        return switch (recorded.read().kind()) {
            case NONE -> null;
            case FRESH -> counted(Engagement.judged(newHits, own, rules), Map.of(), own, scannerUntil);
            case ALL -> {
                List<Hit> all = new ArrayList<>(newHits);
                Map<String, Boolean> stored = new HashMap<>();
                for (Hit h : old(recorded.hits(), newHits)) {
                    all.add(h);
                    stored.put(h.eventId(), h.burst());
                }
                yield counted(Engagement.judged(all, own, rules), stored, own, scannerUntil);
            }
            case DELTA -> delta(current, newHits, recorded, own, rules, scannerUntil);
        };
    }

    /**
     * Counted from nothing; flags stored where they differ from {@code stored} (absent: never flagged), so a click
     * turned corroboration leaves the burst it was counted in.
     */
    private static Result counted(
            List<Hit> judged, Map<String, Boolean> stored, OwnTracking own, Instant scannerUntil) {
        Map<String, Boolean> flags = new HashMap<>();
        judged.stream()
                .filter(h -> h.burst() != stored.getOrDefault(h.eventId(), false))
                .forEach(h -> flags.put(h.eventId(), h.burst()));
        return new Result(Engagement.count(judged, own, scannerUntil), flags);
    }

    private static Result delta(
            ActivityState current,
            Collection<Hit> newHits,
            Recorded recorded,
            OwnTracking own,
            EngagementRules rules,
            Instant scannerUntil) {
        Tallies tallies = Tallies.of(current);
        // corroboration is in no burst: neither the recorded clicks that are nor the new ones
        List<Hit> windowed = new ArrayList<>(old(recorded.hits(), newHits).stream()
                .filter(h -> !Corroboration.corroborates(h, own))
                .toList());
        windowed.addAll(newHits.stream()
                .filter(h -> h.click() && !Corroboration.corroborates(h, own))
                .toList());
        // the windows hold every window a new click is in whole: stored flags plus these are the members now
        Set<String> found = Engagement.bursts(windowed, rules);
        Map<String, Boolean> flags = new HashMap<>();
        Set<String> fresh = new HashSet<>();
        newHits.forEach(h -> fresh.add(h.eventId()));
        List<Hit> now = new ArrayList<>(windowed.size());
        for (Hit h : windowed) {
            Hit judged = h.withBurst(h.burst() || found.contains(h.eventId()));
            now.add(judged);
            if (judged.burst() != h.burst()) {
                flags.put(h.eventId(), true);
                if (!fresh.contains(h.eventId()) && !h.machine(scannerUntil)) {
                    tallies.reclassify(h);
                }
            }
        }
        for (Hit h : newHits) {
            tallies.tally(h.withBurst(found.contains(h.eventId())), own, scannerUntil);
        }
        Read read = recorded.read();
        if (read.firstFrom() != null || read.lastTo() != null) {
            // an old bound was in a window, where counted clicks may have turned: the bounds from what was read
            Instant first = recorded.firstOutside();
            Instant last = recorded.lastOutside();
            for (Hit h : now) {
                if (!h.machine(scannerUntil)) {
                    first = first == null || h.occurredAt().isBefore(first) ? h.occurredAt() : first;
                    last = last == null || h.occurredAt().isAfter(last) ? h.occurredAt() : last;
                }
            }
            tallies.clicks.first = read.firstFrom() != null ? first : tallies.clicks.first;
            tallies.clicks.last = read.lastTo() != null ? last : tallies.clicks.last;
        }
        return new Result(tallies.engagement(), flags);
    }

    /** The recorded hits that are not among the new ones (a read after recording them sees both). */
    private static List<Hit> old(List<Hit> recorded, Collection<Hit> newHits) {
        Set<String> fresh = new HashSet<>();
        newHits.forEach(h -> fresh.add(h.eventId()));
        return recorded.stream().filter(h -> !fresh.contains(h.eventId())).toList();
    }

    /**
     * [t - w, t + w] around each new click on a link (not corroboration), merged: what a burst with one of them
     * can span.
     */
    private static List<Window> windows(Collection<EmailEvent> newEvents, OwnTracking own, EngagementRules rules) {
        List<Instant> clicks = newEvents.stream()
                .filter(e -> e.type() == EmailEventType.CLICKED)
                .map(Hit::of)
                .filter(h -> h.linked() && !Corroboration.corroborates(h, own))
                .map(Hit::occurredAt)
                .sorted()
                .toList();
        List<Window> windows = new ArrayList<>();
        for (Instant at : clicks) {
            Window around = new Window(at.minus(rules.burstWindow()), at.plus(rules.burstWindow()));
            Window last = windows.isEmpty() ? null : windows.get(windows.size() - 1);
            if (last != null && !around.from().isAfter(last.to())) {
                windows.set(windows.size() - 1, new Window(last.from(), around.to()));
            } else {
                windows.add(around);
            }
        }
        return windows;
    }

    private static boolean within(List<Window> windows, Instant at) {
        return windows.stream().anyMatch(w -> w.holds(at));
    }

    /** Whether any open or click was counted, either way, or as corroboration. */
    static boolean engaged(ActivityState s) {
        return s != null
                && s.openCount()
                                + s.machineOpenCount()
                                + s.clickCount()
                                + s.machineClickCount()
                                + s.ownTracking().corroboratingOpens()
                                + s.ownTracking().corroboratingClicks()
                        > 0;
    }
}
