package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static dev.mailtrail.send.projection.ActivityFoldProperties.CLIENTS;
import static dev.mailtrail.send.projection.ActivityFoldProperties.T0;
import static dev.mailtrail.send.projection.ActivityFoldProperties.deliveries;
import static dev.mailtrail.send.projection.ActivityFoldProperties.sorted;
import static dev.mailtrail.send.projection.ActivityFoldProperties.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.Recipient;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.send.EmailEvents;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
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
 * One state per recipient as properties: random events of an email sent as one message to each of three
 * recipients (every type and source, the edge's verdicts, ties, a few events naming nobody, the queued fact or not),
 * delivered with duplicates in any order and batch split, give the state of the sorted distinct events, recipients
 * included; each recipient's status is the highest rank its own events reach; the activity's status follows the
 * rule (its best engagement while some recipient was reached, else at least the highest rank among them); and
 * {@code problems} counts the recipients whose message bounced, was complained about, failed or was suppressed.
 */
class RecipientFoldProperties {

    static final List<String> THREE = List.of("a@x.test", "b@x.test", "c@x.test");
    static final String QUEUED_ID = "send:t-1:act-1:queued";

    @Property(tries = 400)
    void anyArrivalOrderAndBatchSplitGivesTheStateOfTheSortedDistinctEvents(
            @ForAll("events") List<EmailEvent> distinct, @ForAll Random random) {
        MemoryHits memory = new MemoryHits(EngagementRules.DEFAULTS);
        Map<String, EmailEvent> recorded = new HashMap<>();
        ActivityState projected = null;
        for (List<EmailEvent> batch : split(deliveries(distinct, random), random)) {
            List<EmailEvent> fresh = batch.stream()
                    .filter(e -> recorded.putIfAbsent(e.eventId(), e) == null)
                    .toList();
            if (!fresh.isEmpty()) {
                projected = memory.apply(projected, "act-1", fresh, T0).orElse(projected);
            }
        }

        assertThat(Versions.stamp(projected, 1, T0))
                .isEqualTo(ActivityFold.of(key("act-1"), sorted(distinct), EngagementRules.DEFAULTS, T0));
    }

    @Property(tries = 400)
    void eachRecipientsStatusIsItsOwnAndTheActivitysFollowsTheRule(@ForAll("events") List<EmailEvent> distinct) {
        ActivityState state = ActivityFold.of(key("act-1"), distinct, EngagementRules.DEFAULTS, T0);
        Map<Integer, ActivityStatus> expected = new TreeMap<>();
        for (EmailEvent e : distinct) {
            Recipients.of(e.tags()).ifPresent(i -> expected.merge(i, reaches(e), ActivityStatus::max));
        }
        if (distinct.stream().anyMatch(e -> e.eventId().equals(QUEUED_ID))) {
            for (int i = 0; i < THREE.size(); i++) {
                expected.putIfAbsent(i, ActivityStatus.QUEUED);
            }
        }

        assertThat(state.recipients()).extracting(Recipient::index).containsExactlyElementsOf(expected.keySet());
        assertThat(state.recipients()).extracting(Recipient::status).containsExactlyElementsOf(expected.values());
        boolean reached = expected.values().stream()
                .anyMatch(
                        s -> s.rank() >= ActivityStatus.DELIVERED.rank() && s.rank() <= ActivityStatus.CLICKED.rank());
        ActivityStatus highest = expected.values().stream().reduce(ActivityStatus.QUEUED, ActivityStatus::max);
        if (reached) {
            assertThat(state.status())
                    .isEqualTo(
                            state.clickCount() > 0
                                    ? ActivityStatus.CLICKED
                                    : state.openCount() > 0 ? ActivityStatus.OPENED : ActivityStatus.DELIVERED);
            assertThat(Stream.of(state.bouncedAt(), state.complainedAt(), state.failedAt(), state.suppressedAt()))
                    .containsOnlyNulls();
        } else {
            assertThat(state.status().rank()).isGreaterThanOrEqualTo(highest.rank());
        }
        assertThat(state.problems())
                .isEqualTo(expected.values().stream()
                        .filter(s -> s.rank() >= ActivityStatus.SUPPRESSED.rank())
                        .count());
        Statistics.label("some recipient reached").collect(reached);
        Statistics.label("problems").collect(state.problems());
    }

    /** What one event says of its recipient: our own hits count unless the edge called them a machine's. */
    static ActivityStatus reaches(EmailEvent e) {
        return switch (e.type()) {
            case QUEUED, SCHEDULED, DELIVERY_DELAYED -> ActivityStatus.QUEUED;
            case OPENED, CLICKED ->
                (e.source() == EventSource.TRACKING_PIXEL || e.source() == EventSource.TRACKING_REDIRECT)
                                && e.classification() != Classification.MACHINE
                        ? ActivityFoldProperties.reachedBy(e.type())
                        : ActivityStatus.QUEUED;
            default -> ActivityFoldProperties.reachedBy(e.type());
        };
    }

    private static final java.util.Set<EmailEventType> REPLY_TYPES =
            java.util.EnumSet.of(EmailEventType.REPLIED, EmailEventType.AUTO_REPLIED, EmailEventType.INBOUND_RECEIVED);

    @Provide
    Arbitrary<List<EmailEvent>> events() {
        Arbitrary<EmailEvent> events = Builders.withBuilder(
                        () -> event(EmailEventType.DELIVERED).activity("act-1"))
                .use(Arbitraries.strings().withCharRange('a', 'z').ofLength(6))
                .in((b, id) -> b.id("resend:" + id))
                .use(Arbitraries.oneOf(
                        // replies are the activity's, not a recipient's (ActivityFoldProperties covers them)
                        Arbitraries.of(EmailEventType.class).filter(t -> !REPLY_TYPES.contains(t)),
                        Arbitraries.of(
                                EmailEventType.DELIVERED,
                                EmailEventType.BOUNCED,
                                EmailEventType.OPENED,
                                EmailEventType.CLICKED)))
                .in(EmailEvents::type)
                .use(Arbitraries.integers().between(0, 40))
                .in((b, t) -> b.at(T0.plusMillis(100L * t)))
                .use(Arbitraries.of(
                        EventSource.RESEND_WEBHOOK,
                        EventSource.TRACKING_PIXEL,
                        EventSource.TRACKING_REDIRECT,
                        EventSource.SEND_SERVICE))
                .in(EmailEvents::from)
                .use(Arbitraries.of(CLIENTS))
                .in((b, client) -> client.apply(b))
                .use(Arbitraries.of("em-1", "em-2").injectNull(0.3))
                .in(EmailEvents::message)
                .use(Arbitraries.of("Permanent", "Transient").injectNull(0.3))
                .in((b, type) -> b.bounce(type, "m-" + type))
                .use(Arbitraries.of("rejected", "invalid").injectNull(0.3))
                .in(EmailEvents::failure)
                .use(Arbitraries.of(ActivityFoldProperties.LINKS).injectNull(0.2))
                .in(EmailEvents::link)
                // mostly one of the three, sometimes nobody
                .use(Arbitraries.integers().between(0, THREE.size() - 1).injectNull(0.1))
                .in(EmailEvents::recipient)
                .build(EmailEvents::build);
        EmailEvent queued = event(EmailEventType.QUEUED)
                .activity("act-1")
                .from(EventSource.SEND_SERVICE)
                .id(QUEUED_ID)
                .at(T0)
                .to(THREE)
                .tags(Map.of(Recipients.COUNT_TAG, Integer.toString(THREE.size())))
                .build();
        return Combinators.combine(
                        events.list().ofMinSize(1).ofMaxSize(30).uniqueElements(EmailEvent::eventId),
                        Arbitraries.of(true, false))
                .as((some, withQueued) -> withQueued
                        ? Stream.concat(Stream.of(queued), some.stream()).toList()
                        : some);
    }
}
