package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.LinkClicks;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * An activity's opens and clicks, counted after adding the context the edge cannot see (DESIGN rule 3,
 * docs/tracking.md):
 * <ul>
 * <li>{@value #CLICK_BURST}: clicks on at least {@code burstLinks} distinct links of the email within
 * {@code burstWindow} (first to last, inclusive) are a scanner following every link: all of them are machines,
 * whatever the edge said.</li>
 * <li>{@value #TOO_SOON_AFTER_DELIVERY}: a hit earlier than {@code scannerWindow} after delivery (or before it: a
 * gateway scanning before it accepts) is a machine when the edge could not call it human for sure — classification
 * unknown, or human without a reason. A reasoned human (Gmail's image proxy) stays human.</li>
 * </ul>
 * Machine hits are counted apart and never raise the status; a later human open still counts, so an auto-open
 * upgrades. Of the counted ones, those the edge called human are counted again on their own
 * ({@code humanOpenCount}, {@code humanClickCount}): unknown ones (Resend's opens) count, but vouch for nobody. The
 * provider's hits of a kind our own tracking observes are counted apart, as corroboration, and take part in no
 * count or rule ({@link Corroboration}). A pure function of the set of distinct hits, the delivery time and what
 * our tracking observes; {@link EngagementFold} moves it on a batch at a time to the same result (DESIGN rule 2).
 */
public record Engagement(
        long openCount,
        long machineOpenCount,
        long humanOpenCount,
        Instant firstOpenedAt,
        Instant lastOpenedAt,
        long clickCount,
        long machineClickCount,
        long humanClickCount,
        Instant firstClickedAt,
        Instant lastClickedAt,
        List<LinkClicks> links,
        long corroboratingOpens,
        long corroboratingClicks) {

    public static final String CLICK_BURST = "click_burst";
    public static final String TOO_SOON_AFTER_DELIVERY = "too_soon_after_delivery";

    /** Time order, ties by id: the order bursts are found in. */
    static final Comparator<Hit> ORDER = Comparator.comparing(Hit::occurredAt).thenComparing(Hit::eventId);

    /** The engagement of a set of hits, counted from nothing. */
    public static Engagement of(Collection<Hit> hits, Instant deliveredAt, OwnTracking own, EngagementRules rules) {
        return count(judged(hits, own, rules), own, rules.scannerUntil(deliveredAt));
    }

    /**
     * The distinct hits (the earliest copy of an id), each with its burst membership among those that are not
     * corroboration (which are in none).
     */
    static List<Hit> judged(Collection<Hit> hits, OwnTracking own, EngagementRules rules) {
        Map<String, Hit> distinct = new HashMap<>();
        for (Hit h : hits) {
            distinct.merge(h.eventId(), h, (a, b) -> ORDER.compare(a, b) <= 0 ? a : b);
        }
        Set<String> burst = bursts(
                distinct.values().stream()
                        .filter(h -> !Corroboration.corroborates(h, own))
                        .toList(),
                rules);
        return distinct.values().stream()
                .map(h -> h.withBurst(burst.contains(h.eventId())))
                .toList();
    }

    /** Hits counted as their own burst flags, the delivery's scanner window and what our tracking observes say. */
    static Engagement count(Collection<Hit> hits, OwnTracking own, Instant scannerUntil) {
        Tallies tallies = new Tallies();
        hits.forEach(h -> tallies.tally(h, own, scannerUntil));
        return tallies.engagement();
    }

    /** Whether the event is an open or a click: what this counts. */
    public static boolean counts(EmailEvent e) {
        return e.type() == EmailEventType.OPENED || e.type() == EmailEventType.CLICKED;
    }

    /**
     * The ids of the clicks (among {@code hits}) in any window of {@code burstWindow} holding clicks on
     * {@code burstLinks} distinct links. One pass over the clicks in time order: the window ending at each click,
     * shrunk from its start. Over a subset of an activity's clicks it finds a subset of the members, exact for
     * every window the subset holds whole.
     */
    static Set<String> bursts(Collection<Hit> hits, EngagementRules rules) {
        List<Hit> clicks = hits.stream().filter(Hit::linked).sorted(ORDER).toList();
        Set<String> members = new HashSet<>();
        Map<String, Integer> linksInWindow = new HashMap<>();
        int from = 0;
        int unmarked = 0;
        for (int to = 0; to < clicks.size(); to++) {
            Instant end = clicks.get(to).occurredAt();
            linksInWindow.merge(clicks.get(to).link(), 1, Integer::sum);
            while (clicks.get(from).occurredAt().plus(rules.burstWindow()).isBefore(end)) {
                linksInWindow.computeIfPresent(clicks.get(from).link(), (url, n) -> n == 1 ? null : n - 1);
                from++;
            }
            if (linksInWindow.size() >= rules.burstLinks()) {
                for (int i = Math.max(from, unmarked); i <= to; i++) {
                    members.add(clicks.get(i).eventId());
                }
                unmarked = to + 1;
            }
        }
        return members;
    }

    /**
     * An open or click with its classification in context: a machine's, with the rule's reason after the edge's,
     * when it is in a burst or too soon after delivery; as the edge said otherwise.
     */
    public static EmailEvent inContext(EmailEvent e, boolean burst, Instant scannerUntil) {
        boolean tooSoon = Hit.of(e).tooSoon(scannerUntil);
        if (!burst && !tooSoon) {
            return e;
        }
        EmailEvent.Client client = e.client();
        List<String> reasons = new ArrayList<>(client == null ? List.of() : client.reasons());
        if (burst && !reasons.contains(CLICK_BURST)) {
            reasons.add(CLICK_BURST);
        }
        if (tooSoon && !reasons.contains(TOO_SOON_AFTER_DELIVERY)) {
            reasons.add(TOO_SOON_AFTER_DELIVERY);
        }
        EmailEvent.Client reclassified = new EmailEvent.Client(
                client == null ? null : client.ipHash(),
                client == null ? null : client.userAgent(),
                Classification.MACHINE,
                reasons);
        return e.toBuilder().client(reclassified).build();
    }

    /** Running counts, from nothing or from a stored state: what a fold adds hits to. */
    static final class Tallies {

        final Tally opens = new Tally();
        final Tally clicks = new Tally();
        // by url: a stable order, independent of arrival
        private final Map<String, long[]> links = new TreeMap<>();
        private long corroboratingOpens;
        private long corroboratingClicks;

        static Tallies of(ActivityState s) {
            Tallies t = new Tallies();
            t.opens.set(s.openCount(), s.machineOpenCount(), s.humanOpenCount(), s.firstOpenedAt(), s.lastOpenedAt());
            t.clicks.set(
                    s.clickCount(), s.machineClickCount(), s.humanClickCount(), s.firstClickedAt(), s.lastClickedAt());
            s.links().forEach(l -> t.links.put(l.url(), new long[] {l.clicks(), l.machineClicks()}));
            t.corroboratingOpens = s.ownTracking().corroboratingOpens();
            t.corroboratingClicks = s.ownTracking().corroboratingClicks();
            return t;
        }

        /** A hit counted as corroboration, or as a machine's or a person's in context. */
        void tally(Hit h, OwnTracking own, Instant scannerUntil) {
            if (!Corroboration.corroborates(h, own)) {
                add(h, h.machine(scannerUntil));
            } else if (h.click()) {
                corroboratingClicks++;
            } else {
                corroboratingOpens++;
            }
        }

        void add(Hit h, boolean machine) {
            (h.click() ? clicks : opens).add(h.occurredAt(), machine, h.classification() == Classification.HUMAN);
            if (h.linked()) {
                links.computeIfAbsent(h.link(), u -> new long[2])[machine ? 1 : 0]++;
            }
        }

        /** A counted click found a machine's: its count moves; its first/last time is the caller's to mend. */
        void reclassify(Hit click) {
            clicks.counted--;
            clicks.machines++;
            if (click.classification() == Classification.HUMAN) {
                clicks.humans--;
            }
            if (click.linked()) {
                long[] counts = links.computeIfAbsent(click.link(), u -> new long[2]);
                counts[0]--;
                counts[1]++;
            }
        }

        Engagement engagement() {
            List<LinkClicks> perLink = links.entrySet().stream()
                    .map(link -> new LinkClicks(link.getKey(), link.getValue()[0], link.getValue()[1]))
                    .toList();
            return new Engagement(
                    opens.counted,
                    opens.machines,
                    opens.humans,
                    opens.first,
                    opens.last,
                    clicks.counted,
                    clicks.machines,
                    clicks.humans,
                    clicks.first,
                    clicks.last,
                    perLink,
                    corroboratingOpens,
                    corroboratingClicks);
        }
    }

    /** Counts of one kind of hit (the human ones among the counted too), and the first and last counted. */
    static final class Tally {
        long counted;
        long machines;
        long humans;
        Instant first;
        Instant last;

        void set(long counted, long machines, long humans, Instant first, Instant last) {
            this.counted = counted;
            this.machines = machines;
            this.humans = humans;
            this.first = first;
            this.last = last;
        }

        void add(Instant at, boolean machine, boolean human) {
            if (machine) {
                machines++;
                return;
            }
            counted++;
            humans += human ? 1 : 0;
            first = first == null || at.isBefore(first) ? at : first;
            last = last == null || at.isAfter(last) ? at : last;
        }
    }
}
