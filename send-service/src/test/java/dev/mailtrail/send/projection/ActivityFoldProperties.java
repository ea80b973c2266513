package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.OwnTrackingDeclaration;
import dev.mailtrail.send.EmailEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * DESIGN rules 2, 3 and 4 as properties: random sets of one activity's events — every type and source, human,
 * machine and unknown engagement with and without the edge's reasons, click bursts, hits right after (and before)
 * delivery, values that disagree, timestamps that tie, our own tracking declared or proved by a hit of ours before or
 * after the provider's hits — under random context rules, delivered with duplicates, in any order and split into any
 * batches, give the state and the timeline of applying the distinct events once, sorted; the incremental fold
 * (reading only the clicks around new ones) equals the full recount after every batch, and the stored burst flags
 * are the rule's; the context classification is exactly what its rules say; and for a kind our tracking observes the
 * counts are those of our hits alone, the provider's counted apart as corroboration.
 */
class ActivityFoldProperties {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");

    static final Map<EmailEventType, Function<ActivityState, Instant>> SINGLE_SHOT_TIMES = new EnumMap<>(Map.of(
            EmailEventType.QUEUED, ActivityState::queuedAt,
            EmailEventType.SCHEDULED, ActivityState::scheduledAt,
            EmailEventType.SENT, ActivityState::sentAt,
            EmailEventType.DELIVERED, ActivityState::deliveredAt,
            EmailEventType.BOUNCED, ActivityState::bouncedAt,
            EmailEventType.COMPLAINED, ActivityState::complainedAt,
            EmailEventType.FAILED, ActivityState::failedAt,
            EmailEventType.SUPPRESSED, ActivityState::suppressedAt,
            EmailEventType.UNSUBSCRIBED, ActivityState::unsubscribedAt));

    static final List<String> LINKS = List.of(
            "https://a.test", "https://b.test", "https://c.test", "https://d.test", "https://e.test", "https://f.test");

    /** What the edge may have said about a hit: nothing (a provider event), or a verdict with or without reasons. */
    static final List<UnaryOperator<EmailEvents>> CLIENTS = List.of(
            b -> b,
            b -> b.by(Classification.UNKNOWN),
            b -> b.by(Classification.HUMAN),
            b -> b.by(Classification.HUMAN, "gmail_image_proxy"),
            b -> b.by(Classification.MACHINE, "apple_mpp"),
            b -> b.by(Classification.MACHINE, "scanner_network"));

    @Property(tries = 500)
    void anyArrivalOrderAndBatchSplitGivesTheStateOfTheSortedDistinctEvents(
            @ForAll("distinctEvents") List<EmailEvent> distinct,
            @ForAll("rules") EngagementRules rules,
            @ForAll Random random) {
        List<List<EmailEvent>> batches = split(deliveries(distinct, random), random);

        MemoryHits memory = new MemoryHits(rules);
        ActivityState projected = null;
        Map<String, EmailEvent> recorded = new HashMap<>();
        boolean corroborationLate = false;
        for (List<EmailEvent> batch : batches) {
            // what ProjectionBatch does: only events whose id was not recorded before are folded
            List<EmailEvent> fresh = batch.stream()
                    .filter(e -> recorded.putIfAbsent(e.eventId(), e) == null)
                    .toList();
            if (!fresh.isEmpty()) {
                long before = projected == null ? 0 : projected.version();
                OwnTracking ownBefore = projected == null ? OwnTracking.NONE : projected.ownTracking();
                boolean engaged = EngagementFold.engaged(projected);
                projected = memory.apply(projected, "act-1", fresh, T0).orElse(projected);
                corroborationLate |= engaged && Corroboration.widened(ownBefore, projected.ownTracking());
                assertThat(projected.version()).isIn(before, before + 1);
                // the incremental fold is the full recount of what is recorded so far, after every batch
                assertThat(Versions.stamp(projected, 1, T0))
                        .isEqualTo(ActivityFold.of(key("act-1"), sorted(List.copyOf(recorded.values())), rules, T0));
                assertThat(memory.rows())
                        .allSatisfy(h -> assertThat(h.burst())
                                .as(h.eventId())
                                .isEqualTo(inBurst(h.eventId(), recorded.values(), rules)));
            }
        }
        ActivityState once = ActivityFold.of(key("act-1"), sorted(distinct), rules, T0);

        assertThat(Versions.stamp(projected, 1, T0)).isEqualTo(once);
        assertThat(projected.version()).isBetween(1L, (long) batches.size());
        collectContextReasons(Timelines.of(distinct, rules), rules);
        collectReads(memory.reads());
        cover("own tracking known after hits were counted", corroborationLate, 5);
    }

    @Property(tries = 500)
    void theTimelineListsEachSingleShotFactOnceAtItsEarliestAndEachEngagementOnceAsTheStateCountsIt(
            @ForAll("distinctEvents") List<EmailEvent> distinct,
            @ForAll("rules") EngagementRules rules,
            @ForAll Random random) {
        List<EmailEvent> timeline = Timelines.of(deliveries(distinct, random), rules);
        ActivityState state = ActivityFold.of(key("act-1"), distinct, rules, T0);

        assertThat(timeline).isEqualTo(Timelines.of(sorted(distinct), rules)).isSortedAccordingTo(Timeline.ORDER);
        assertThat(timeline.stream()
                        .filter(e -> !e.type().singleShot())
                        .map(EmailEvent::eventId)
                        .toList())
                .isEqualTo(sorted(distinct).stream()
                        .filter(e -> !e.type().singleShot())
                        .map(EmailEvent::eventId)
                        .toList());
        SINGLE_SHOT_TIMES.forEach((type, stateTime) -> {
            List<EmailEvent> ofType =
                    timeline.stream().filter(e -> e.type() == type).toList();
            List<EmailEvent> candidates =
                    sorted(distinct).stream().filter(e -> e.type() == type).toList();
            assertThat(ofType).isEqualTo(candidates.isEmpty() ? List.of() : List.of(candidates.get(0)));
            // the state shows the same moment as the timeline
            assertThat(stateTime.apply(state))
                    .isEqualTo(ofType.isEmpty() ? null : ofType.get(0).occurredAt());
        });
        // the provider's hits that corroborate ours are listed too, and counted apart
        List<EmailEvent> counted =
                timeline.stream().filter(e -> !corroborates(e, distinct)).toList();
        assertThat(List.of(
                        count(counted, EmailEventType.OPENED, false),
                        count(counted, EmailEventType.OPENED, true),
                        count(counted, EmailEventType.CLICKED, false),
                        count(counted, EmailEventType.CLICKED, true),
                        timeline.stream()
                                .filter(e -> e.type() == EmailEventType.OPENED && corroborates(e, distinct))
                                .count(),
                        timeline.stream()
                                .filter(e -> e.type() == EmailEventType.CLICKED && corroborates(e, distinct))
                                .count()))
                .containsExactly(
                        state.openCount(),
                        state.machineOpenCount(),
                        state.clickCount(),
                        state.machineClickCount(),
                        state.ownTracking().corroboratingOpens(),
                        state.ownTracking().corroboratingClicks());
        // the human ones among the counted: what the timeline shows as a person's after the context rules
        assertThat(List.of(human(counted, EmailEventType.OPENED), human(counted, EmailEventType.CLICKED)))
                .containsExactly(state.humanOpenCount(), state.humanClickCount());
    }

    /**
     * The counting rule against an oracle of its own: for a kind our tracking observes (declared on a send-service
     * fact, or proved by a hit of ours), the engagement is that of the events without the provider's hits of the
     * kind — counts, machine counts, first and last times, links, status — and those hits are its corroboration; a
     * kind ours does not observe counts the provider's hits as ever.
     */
    @Property(tries = 500)
    void forAKindOurTrackingObservesTheCountsAreOurHitsAloneAndTheProvidersCorroborate(
            @ForAll("distinctEvents") List<EmailEvent> distinct, @ForAll("rules") EngagementRules rules) {
        ActivityState state = ActivityFold.of(key("act-1"), distinct, rules, T0);
        List<EmailEvent> ours =
                distinct.stream().filter(e -> !corroborates(e, distinct)).toList();
        ActivityState oursAlone = ActivityFold.of(key("act-1"), ours, rules, T0);
        long corroboratingOpens = distinct.stream()
                .filter(e -> e.type() == EmailEventType.OPENED && corroborates(e, distinct))
                .count();
        long corroboratingClicks = distinct.stream()
                .filter(e -> e.type() == EmailEventType.CLICKED && corroborates(e, distinct))
                .count();

        assertThat(state.ownTracking())
                .isEqualTo(new OwnTracking(
                        ownKnown(distinct, EmailEventType.OPENED),
                        ownKnown(distinct, EmailEventType.CLICKED),
                        corroboratingOpens,
                        corroboratingClicks));
        assertThat(Counted.of(state)).isEqualTo(Counted.of(oursAlone));
        Statistics.label("provider's opens corroborate ours").collect(corroboratingOpens > 0);
        Statistics.label("provider's opens corroborate ours")
                .coverage(c -> c.check(true).percentage(p -> p >= 10));
        Statistics.label("provider's opens count (ours not known)")
                .collect(!state.ownTracking().opens()
                        && distinct.stream().anyMatch(e -> e.type() == EmailEventType.OPENED));
        Statistics.label("provider's opens count (ours not known)")
                .coverage(c -> c.check(true).percentage(p -> p >= 5));
    }

    /** Whether a send-service fact declares, or a hit of ours proves, that our own tracking observes the kind. */
    static boolean ownKnown(Collection<EmailEvent> events, EmailEventType kind) {
        EventSource ours = kind == EmailEventType.OPENED ? EventSource.TRACKING_PIXEL : EventSource.TRACKING_REDIRECT;
        List<String> declaring =
                kind == EmailEventType.OPENED ? List.of("opens", "opens_clicks") : List.of("clicks", "opens_clicks");
        return events.stream()
                .anyMatch(e -> e.type() == kind && e.source() == ours
                        || e.source() == EventSource.SEND_SERVICE
                                && declaring.contains(e.tags().getOrDefault(OwnTrackingDeclaration.TAG, "")));
    }

    /** An open or click not observed by our own tracking, of a kind our tracking observes. */
    static boolean corroborates(EmailEvent e, Collection<EmailEvent> events) {
        EventSource ours =
                e.type() == EmailEventType.OPENED ? EventSource.TRACKING_PIXEL : EventSource.TRACKING_REDIRECT;
        return Engagement.counts(e) && e.source() != ours && ownKnown(events, e.type());
    }

    /** What the engagement of a state is: its counts, times, links, and the status they raise. */
    record Counted(
            ActivityStatus status,
            long opens,
            long machineOpens,
            long humanOpens,
            Instant firstOpenedAt,
            Instant lastOpenedAt,
            boolean openInferred,
            long clicks,
            long machineClicks,
            long humanClicks,
            Instant firstClickedAt,
            Instant lastClickedAt,
            List<ActivityState.LinkClicks> links) {

        static Counted of(ActivityState s) {
            return new Counted(
                    s.status(),
                    s.openCount(),
                    s.machineOpenCount(),
                    s.humanOpenCount(),
                    s.firstOpenedAt(),
                    s.lastOpenedAt(),
                    s.openInferred(),
                    s.clickCount(),
                    s.machineClickCount(),
                    s.humanClickCount(),
                    s.firstClickedAt(),
                    s.lastClickedAt(),
                    s.links());
        }
    }

    @Property(tries = 300)
    void machineEngagementNeverRaisesTheStatusAndAnOpenEndsNotTracked(
            @ForAll("distinctEvents") List<EmailEvent> distinct, @ForAll("rules") EngagementRules rules) {
        ActivityState state = ActivityFold.of(key("act-1"), distinct, rules, T0);
        List<EmailEvent> raising = Timelines.of(distinct, rules).stream()
                .filter(e -> !Engagement.counts(e)
                        || e.classification() != Classification.MACHINE && !corroborates(e, distinct))
                .toList();

        assertThat(state.status())
                .isEqualTo(raising.stream()
                        .map(e -> reachedBy(e.type()))
                        .reduce(ActivityStatus.QUEUED, ActivityStatus::max));
        assertThat(state.openCount()
                        + state.machineOpenCount()
                        + state.ownTracking().corroboratingOpens())
                .isEqualTo(distinct.stream()
                        .filter(e -> e.type() == EmailEventType.OPENED)
                        .count());
        if (state.openCount() + state.machineOpenCount() + state.ownTracking().corroboratingOpens() > 0
                || state.ownTracking().opens()) {
            assertThat(state.openTracking()).isEqualTo(OpenTracking.TRACKED);
        }
        // a counted click or a person's reply implies an open nobody saw
        assertThat(state.openInferred())
                .isEqualTo((state.clickCount() > 0 || state.replyCount() > 0) && state.openCount() == 0);
        assertThat(state.replyCount())
                .isEqualTo(distinct.stream()
                        .filter(e -> e.type() == EmailEventType.REPLIED)
                        .count());
    }

    /** An oracle of the context rules, by brute force over every window, against the one-pass classification. */
    @Property(tries = 500)
    void aHitBecomesAMachineExactlyWhenItIsInABurstOrTooSoonAfterDeliveryWhileTheEdgeWasUnsure(
            @ForAll("distinctEvents") List<EmailEvent> distinct, @ForAll("rules") EngagementRules rules) {
        Instant deliveredAt = distinct.stream()
                .filter(e -> e.type() == EmailEventType.DELIVERED)
                .map(EmailEvent::occurredAt)
                .min(Comparator.naturalOrder())
                .orElse(null);
        Map<String, EmailEvent> judged = new HashMap<>();
        Timelines.of(distinct, rules).forEach(e -> judged.put(e.eventId(), e));

        for (EmailEvent hit : distinct.stream().filter(Engagement::counts).toList()) {
            boolean burst = inBurst(hit.eventId(), distinct, rules);
            boolean unsure = hit.classification() == Classification.UNKNOWN
                    || hit.classification() == Classification.HUMAN
                            && hit.client().reasons().isEmpty();
            boolean tooSoon =
                    unsure && deliveredAt != null && hit.occurredAt().isBefore(deliveredAt.plus(rules.scannerWindow()));
            List<String> reasons = new ArrayList<>(
                    hit.client() == null ? List.of() : hit.client().reasons());
            if (burst) {
                reasons.add(Engagement.CLICK_BURST);
            }
            if (tooSoon) {
                reasons.add(Engagement.TOO_SOON_AFTER_DELIVERY);
            }

            EmailEvent seen = judged.get(hit.eventId());
            if (burst || tooSoon) {
                assertThat(seen.classification()).isEqualTo(Classification.MACHINE);
                assertThat(seen.client().reasons()).isEqualTo(reasons);
            } else {
                assertThat(seen).isEqualTo(hit);
            }
        }
    }

    /**
     * The burst rule by brute force: the event is a click on a link inside a window of {@code burstWindow} from
     * some click's time that holds clicks on {@code burstLinks} distinct links, none of them corroboration.
     */
    static boolean inBurst(String eventId, Collection<EmailEvent> events, EngagementRules rules) {
        List<EmailEvent> clicks = events.stream()
                .filter(e -> e.type() == EmailEventType.CLICKED && e.click() != null && !corroborates(e, events))
                .toList();
        EmailEvent hit = clicks.stream()
                .filter(c -> c.eventId().equals(eventId))
                .findFirst()
                .orElse(null);
        return hit != null
                && clicks.stream().anyMatch(start -> {
                    Instant end = start.occurredAt().plus(rules.burstWindow());
                    boolean inside = !hit.occurredAt().isBefore(start.occurredAt())
                            && !hit.occurredAt().isAfter(end);
                    return inside
                            && clicks.stream()
                                            .filter(c -> !c.occurredAt().isBefore(start.occurredAt())
                                                    && !c.occurredAt().isAfter(end))
                                            .map(c -> c.click().url())
                                            .distinct()
                                            .count()
                                    >= rules.burstLinks();
                });
    }

    @Provide
    static Arbitrary<List<EmailEvent>> distinctEvents() {
        Arbitrary<EmailEvent> events = Builders.withBuilder(
                        () -> event(EmailEventType.DELIVERED).activity("act-1"))
                .use(Arbitraries.strings().withCharRange('a', 'z').ofLength(6))
                .in((b, id) -> b.id("resend:" + id))
                // opens, clicks and deliveries often, so rules meet context
                .use(Arbitraries.oneOf(
                        // inbound mail is the reply matcher's, never folded (the projection skips it)
                        Arbitraries.of(EmailEventType.class).filter(t -> t != EmailEventType.INBOUND_RECEIVED),
                        Arbitraries.of(
                                EmailEventType.OPENED,
                                EmailEventType.CLICKED,
                                EmailEventType.CLICKED,
                                EmailEventType.DELIVERED)))
                .in(EmailEvents::type)
                // 0..40 tenths of a second: ties are common, so are hits within a window
                .use(Arbitraries.integers().between(0, 40))
                .in((b, t) -> b.at(T0.plusMillis(100L * t)))
                .use(Arbitraries.of(EventSource.class))
                .in(EmailEvents::from)
                .use(Arbitraries.of(CLIENTS))
                .in((b, client) -> client.apply(b))
                .use(Arbitraries.of("t-1", "t-2").injectNull(0.3))
                .in(EmailEvents::tenant)
                .use(Arbitraries.of("em-1", "em-2").injectNull(0.3))
                .in(EmailEvents::message)
                .use(Arbitraries.of("a@x.test", "b@x.test").injectNull(0.3))
                .in(EmailEvents::to)
                .use(Arbitraries.of("Hello", "Hi").injectNull(0.3))
                .in(EmailEvents::subject)
                .use(Arbitraries.of(LINKS).injectNull(0.2))
                .in(EmailEvents::link)
                .use(Arbitraries.of("Permanent", "Transient").injectNull(0.3))
                .in((b, type) -> b.bounce(type, "m-" + type))
                .use(Arbitraries.of("rejected", "invalid").injectNull(0.3))
                .in(EmailEvents::failure)
                .use(Arbitraries.of(
                        Map.<String, String>of(),
                        Map.of(OpenTracking.TAG, OpenTracking.NOT_TRACKED.name()),
                        Map.of(OwnTrackingDeclaration.TAG, "opens"),
                        Map.of(OwnTrackingDeclaration.TAG, "clicks"),
                        Map.of(OwnTrackingDeclaration.TAG, "opens_clicks"),
                        Map.of(OwnTrackingDeclaration.TAG, "none"),
                        // the caller's tags, as the provider repeats them (the least value of a name wins)
                        Map.of("campaign", "alpha"),
                        Map.of("campaign", "beta", "stage", "first")))
                .in(EmailEvents::tags)
                .build(EmailEvents::build);
        // a scanner following links: up to 8 clicks a few hundred milliseconds apart, on up to 6 distinct links
        // through our redirect mostly (the provider's are corroboration once ours is known: in no burst)
        Arbitrary<List<EmailEvent>> bursts = Combinators.combine(
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, 8),
                        Arbitraries.integers().between(0, 300),
                        // every link half the time: enough to be a burst under the default rules too
                        Arbitraries.oneOf(
                                Arbitraries.integers().between(1, LINKS.size()), Arbitraries.just(LINKS.size())),
                        Arbitraries.of(CLIENTS),
                        Arbitraries.of(
                                EventSource.TRACKING_REDIRECT,
                                EventSource.TRACKING_REDIRECT,
                                EventSource.TRACKING_REDIRECT,
                                EventSource.RESEND_WEBHOOK))
                .as((start, size, stepMillis, links, client, source) -> IntStream.range(0, size)
                        .mapToObj(i -> client.apply(event(EmailEventType.CLICKED)
                                        .activity("act-1")
                                        .from(source)
                                        .id("resend:burst-" + i)
                                        .at(T0.plusMillis(100L * start + (long) stepMillis * i))
                                        .link(LINKS.get(i % links)))
                                .build())
                        .toList());
        return Combinators.combine(events.list().ofMinSize(1).ofMaxSize(30).uniqueElements(EmailEvent::eventId), bursts)
                .as((some, burst) ->
                        Stream.concat(some.stream(), burst.stream()).toList());
    }

    /** The defaults half the time, else any windows up to 3 s and bursts of 2 to 6 links. */
    @Provide
    static Arbitrary<EngagementRules> rules() {
        Arbitrary<EngagementRules> any = Combinators.combine(
                        Arbitraries.integers().between(0, 30),
                        Arbitraries.integers().between(2, 6),
                        Arbitraries.integers().between(0, 30))
                .as((scanner, links, burst) ->
                        new EngagementRules(Duration.ofMillis(100L * scanner), links, Duration.ofMillis(100L * burst)));
        return Arbitraries.oneOf(Arbitraries.just(EngagementRules.DEFAULTS), any);
    }

    /** Proves the generators reach both rules often, with the default rules too. */
    static void collectContextReasons(List<EmailEvent> timeline, EngagementRules rules) {
        for (String reason : List.of(Engagement.CLICK_BURST, Engagement.TOO_SOON_AFTER_DELIVERY)) {
            boolean seen = timeline.stream()
                    .anyMatch(e -> e.client() != null && e.client().reasons().contains(reason));
            String label = rules.equals(EngagementRules.DEFAULTS) ? reason + " (default rules)" : reason;
            Statistics.label(label).collect(seen);
            Statistics.label(label).coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
        }
    }

    /** Proves the batches meet every kind of read, the nearest counted click outside the windows included. */
    static void collectReads(List<EngagementFold.Read> reads) {
        cover("clicks around new ones read", reads.stream().anyMatch(EngagementFold.Read::readsWindows), 10);
        cover("nearest counted click read", reads.stream().anyMatch(EngagementFold.Read::readsBounds), 5);
        cover(
                "every hit read (earlier delivery)",
                reads.stream().anyMatch(r -> r.kind() == EngagementFold.Kind.ALL),
                5);
    }

    private static void cover(String label, boolean seen, int minPercent) {
        Statistics.label(label).collect(seen);
        Statistics.label(label).coverage(coverage -> coverage.check(true).percentage(p -> p >= minPercent));
    }

    static long human(List<EmailEvent> timeline, EmailEventType type) {
        return timeline.stream()
                .filter(e -> e.type() == type && e.classification() == Classification.HUMAN)
                .count();
    }

    /**
     * The status an event reaches by itself, before engagement is classified: the one of the same name; an
     * unsubscribe reaches none (QUEUED, the floor every activity has).
     */
    static ActivityStatus reachedBy(EmailEventType type) {
        // an unsubscribe reaches no status, an auto-reply is a timeline fact only
        return type == EmailEventType.UNSUBSCRIBED || type == EmailEventType.AUTO_REPLIED
                ? ActivityStatus.QUEUED
                : ActivityStatus.valueOf(type.name());
    }

    static long count(List<EmailEvent> timeline, EmailEventType type, boolean machine) {
        return timeline.stream()
                .filter(e -> e.type() == type && (e.classification() == Classification.MACHINE) == machine)
                .count();
    }

    /** Every event at least once, some up to three times, shuffled. */
    static List<EmailEvent> deliveries(List<EmailEvent> distinct, Random random) {
        List<EmailEvent> deliveries = new ArrayList<>();
        for (EmailEvent e : distinct) {
            for (int copies = 1 + (random.nextInt(4) == 0 ? 1 + random.nextInt(2) : 0); copies > 0; copies--) {
                deliveries.add(e);
            }
        }
        Collections.shuffle(deliveries, random);
        return deliveries;
    }

    static List<List<EmailEvent>> split(List<EmailEvent> deliveries, Random random) {
        List<List<EmailEvent>> batches = new ArrayList<>();
        for (int from = 0; from < deliveries.size(); ) {
            int to = from + 1 + random.nextInt(deliveries.size() - from);
            batches.add(deliveries.subList(from, to));
            from = to;
        }
        return batches;
    }

    static List<EmailEvent> sorted(List<EmailEvent> events) {
        return events.stream().sorted(Timeline.ORDER).toList();
    }
}
