package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.send.EmailEvents;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * DESIGN rules 2 and 4 as properties: random sets of one activity's events — every type, human, machine and
 * unknown engagement, values that disagree, timestamps that tie — delivered with duplicates, in any order and
 * split into any batches, give the state and the timeline of applying the distinct events once, sorted.
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
            EmailEventType.SUPPRESSED, ActivityState::suppressedAt));

    @Property(tries = 500)
    void anyArrivalOrderAndBatchSplitGivesTheStateOfTheSortedDistinctEvents(
            @ForAll("distinctEvents") List<EmailEvent> distinct, @ForAll Random random) {
        List<List<EmailEvent>> batches = split(deliveries(distinct, random), random);

        ActivityState projected = null;
        Set<String> recorded = new HashSet<>();
        for (List<EmailEvent> batch : batches) {
            // what ProjectionBatch does: only events whose id was not recorded before are folded
            List<EmailEvent> fresh = batch.stream().filter(e -> recorded.add(e.eventId())).toList();
            if (!fresh.isEmpty()) {
                long before = projected == null ? 0 : projected.version();
                projected = ActivityFold.next(projected, "act-1", fresh, T0).orElse(projected);
                assertThat(projected.version()).isIn(before, before + 1);
            }
        }
        ActivityState once = ActivityFold.next(null, "act-1", sorted(distinct), T0).orElseThrow();

        assertThat(Versions.stamp(projected, 1, T0)).isEqualTo(once);
        assertThat(projected.version()).isBetween(1L, (long) batches.size());
    }

    @Property(tries = 500)
    void theTimelineListsEachSingleShotFactOnceAtItsEarliestAndEachEngagementOnceWhateverTheArrival(
            @ForAll("distinctEvents") List<EmailEvent> distinct, @ForAll Random random) {
        List<EmailEvent> timeline = Timeline.of(deliveries(distinct, random));
        ActivityState state = ActivityFold.next(null, "act-1", distinct, T0).orElseThrow();

        assertThat(timeline).isEqualTo(Timeline.of(sorted(distinct))).isSortedAccordingTo(ActivityFold.ORDER);
        assertThat(timeline.stream().filter(e -> !e.type().singleShot()).toList())
                .isEqualTo(sorted(distinct).stream().filter(e -> !e.type().singleShot()).toList());
        SINGLE_SHOT_TIMES.forEach((type, stateTime) -> {
            List<EmailEvent> ofType = timeline.stream().filter(e -> e.type() == type).toList();
            List<EmailEvent> candidates = sorted(distinct).stream().filter(e -> e.type() == type).toList();
            assertThat(ofType).isEqualTo(candidates.isEmpty() ? List.of() : List.of(candidates.get(0)));
            // the state shows the same moment as the timeline
            assertThat(stateTime.apply(state)).isEqualTo(ofType.isEmpty() ? null : ofType.get(0).occurredAt());
        });
    }

    @Property(tries = 200)
    void machineEngagementNeverRaisesTheStatusAndAnOpenEndsNotTracked(
            @ForAll("distinctEvents") List<EmailEvent> distinct) {
        ActivityState state = ActivityFold.next(null, "act-1", distinct, T0).orElseThrow();
        List<EmailEvent> raising = distinct.stream()
                .filter(e -> e.classification() != Classification.MACHINE || !engagement(e)).toList();

        assertThat(state.status()).isEqualTo(raising.stream()
                .map(e -> ActivityStatus.reachedBy(e.type()))
                .reduce(ActivityStatus.QUEUED, ActivityStatus::max));
        assertThat(state.openCount() + state.machineOpenCount())
                .isEqualTo(distinct.stream().filter(e -> e.type() == EmailEventType.OPENED).count());
        if (state.openCount() + state.machineOpenCount() > 0) {
            assertThat(state.openTracking()).isEqualTo(OpenTracking.TRACKED);
        }
        assertThat(state.openInferred()).isEqualTo(state.clickCount() > 0 && state.openCount() == 0);
    }

    @Provide
    Arbitrary<List<EmailEvent>> distinctEvents() {
        Arbitrary<EmailEvent> events = Builders.withBuilder(() -> event(EmailEventType.DELIVERED).activity("act-1"))
                .use(Arbitraries.strings().withCharRange('a', 'z').ofLength(6)).in((b, id) -> b.id("resend:" + id))
                .use(Arbitraries.of(EmailEventType.class)).in(EmailEvents::type)
                // 0..10 half-seconds: ties are common
                .use(Arbitraries.integers().between(0, 10)).in((b, t) -> b.at(T0.plusMillis(500L * t)))
                .use(Arbitraries.of(EventSource.class)).in(EmailEvents::from)
                .use(Arbitraries.of(Classification.class).injectNull(0.25)).in(EmailEvents::by)
                .use(Arbitraries.of("t-1", "t-2").injectNull(0.3)).in(EmailEvents::tenant)
                .use(Arbitraries.of("em-1", "em-2").injectNull(0.3)).in(EmailEvents::message)
                .use(Arbitraries.of("a@x.test", "b@x.test").injectNull(0.3)).in(EmailEvents::to)
                .use(Arbitraries.of("Hello", "Hi").injectNull(0.3)).in(EmailEvents::subject)
                .use(Arbitraries.of("https://a.test", "https://b.test").injectNull(0.3)).in(EmailEvents::link)
                .use(Arbitraries.of("Permanent", "Transient").injectNull(0.3))
                .in((b, type) -> b.bounce(type, "m-" + type))
                .use(Arbitraries.of("rejected", "invalid").injectNull(0.3)).in(EmailEvents::failure)
                .use(Arbitraries.of(Map.<String, String>of(),
                        Map.of(ActivityFold.OPEN_TRACKING_TAG, OpenTracking.NOT_TRACKED.name()))).in(EmailEvents::tags)
                .build(EmailEvents::build);
        return events.list().ofMinSize(1).ofMaxSize(30).uniqueElements(EmailEvent::eventId);
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
        return events.stream().sorted(ActivityFold.ORDER).toList();
    }

    static boolean engagement(EmailEvent e) {
        return e.type() == EmailEventType.OPENED || e.type() == EmailEventType.CLICKED;
    }
}
