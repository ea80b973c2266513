package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static dev.mailtrail.send.EmailEvents.queued;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OwnTrackingDeclaration;
import dev.mailtrail.send.EmailEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whose opens and clicks count when our tracking and the provider's both observe an email, case by case. */
class CorroborationTests {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");
    static final String LINK = "https://acme.test/pricing";

    final MemoryHits memory = new MemoryHits(EngagementRules.DEFAULTS);

    @Test
    void withBothTrackingsOnTheCountsAreOurHitsAndTheProvidersCorroborate() {
        List<EmailEvent> events = List.of(
                queued("a", T0, OwnTracking.of(true, true), Map.of()),
                event(EmailEventType.DELIVERED)
                        .activity("a")
                        .at(T0.plusSeconds(1))
                        .build(),
                // one person: a prefetch and their own open through our pixel, the same open seen by Resend's
                ourOpen(T0.plusSeconds(60))
                        .by(Classification.MACHINE, "prefetch_header")
                        .build(),
                ourOpen(T0.plusSeconds(61)).by(Classification.HUMAN).build(),
                event(EmailEventType.OPENED)
                        .activity("a")
                        .at(T0.plusSeconds(62))
                        .build(),
                // their click through our redirect, and Resend's record of it
                event(EmailEventType.CLICKED)
                        .activity("a")
                        .from(EventSource.TRACKING_REDIRECT)
                        .link(LINK)
                        .at(T0.plusSeconds(90))
                        .by(Classification.HUMAN)
                        .build(),
                event(EmailEventType.CLICKED)
                        .activity("a")
                        .link(LINK)
                        .at(T0.plusSeconds(91))
                        .by(Classification.HUMAN)
                        .build());

        ActivityState state = ActivityFold.of(key("a"), events, EngagementRules.DEFAULTS, T0);

        assertThat(List.of(state.openCount(), state.machineOpenCount(), state.clickCount(), state.machineClickCount()))
                .containsExactly(1L, 1L, 1L, 0L);
        assertThat(state.ownTracking()).isEqualTo(new OwnTracking(true, true, 1, 1));
        // Resend's click carries a person's browser too: still one person's click, counted once
        assertThat(List.of(state.humanOpenCount(), state.humanClickCount())).containsExactly(1L, 1L);
        assertThat(state.firstOpenedAt()).isEqualTo(T0.plusSeconds(61));
        assertThat(state.lastClickedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(state.links()).containsExactly(new ActivityState.LinkClicks(LINK, 1, 0));
        assertThat(state.status()).isEqualTo(ActivityStatus.CLICKED);
        // both stay in the timeline, told apart by their source
        assertThat(Timelines.of(events, EngagementRules.DEFAULTS))
                .filteredOn(Engagement::counts)
                .extracting(EmailEvent::source)
                .containsOnly(EventSource.TRACKING_PIXEL, EventSource.TRACKING_REDIRECT, EventSource.RESEND_WEBHOOK)
                .hasSize(5);
    }

    @Test
    void theProvidersOpenBeforeOurTrackingIsKnownCountsUntilItIsThenCorroborates() {
        EmailEvent delivered =
                event(EmailEventType.DELIVERED).activity("a").at(T0).build();
        EmailEvent resendOpen = event(EmailEventType.OPENED)
                .activity("a")
                .at(T0.plusSeconds(60))
                .build();
        EmailEvent declared = queued("a", T0.minusSeconds(1), OwnTracking.of(true, false), Map.of());

        ActivityState before =
                memory.apply(null, "a", List.of(delivered, resendOpen), T0).orElseThrow();
        ActivityState after = memory.apply(before, "a", List.of(declared), T0).orElseThrow();

        assertThat(before.openCount()).isEqualTo(1);
        assertThat(before.status()).isEqualTo(ActivityStatus.OPENED);
        assertThat(after.openCount()).isZero();
        assertThat(after.firstOpenedAt()).isNull();
        assertThat(after.ownTracking()).isEqualTo(new OwnTracking(true, false, 1, 0));
        assertThat(after.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(memory.reads()).last().extracting(EngagementFold.Read::kind).isEqualTo(EngagementFold.Kind.ALL);
        // the state of the set, whatever the order
        assertThat(Versions.stamp(after, 1, T0))
                .isEqualTo(ActivityFold.of(
                        key("a"), List.of(declared, delivered, resendOpen), EngagementRules.DEFAULTS, T0));
    }

    @Test
    void withoutADeclarationOurFirstHitProvesOurTrackingOfItsKindOnly() {
        // events from before the declaration existed: Resend's open and click counted, as they were
        List<EmailEvent> older = List.of(
                event(EmailEventType.DELIVERED).activity("a").at(T0).build(),
                event(EmailEventType.OPENED)
                        .activity("a")
                        .at(T0.plusSeconds(60))
                        .build(),
                event(EmailEventType.CLICKED)
                        .activity("a")
                        .link(LINK)
                        .at(T0.plusSeconds(70))
                        .build());
        ActivityState before = memory.apply(null, "a", older, T0).orElseThrow();

        ActivityState after = memory.apply(
                        before,
                        "a",
                        List.of(ourOpen(T0.plusSeconds(90))
                                .by(Classification.HUMAN)
                                .build()),
                        T0)
                .orElseThrow();

        assertThat(List.of(before.openCount(), before.clickCount())).containsExactly(1L, 1L);
        assertThat(after.ownTracking()).isEqualTo(new OwnTracking(true, false, 1, 0));
        assertThat(List.of(after.openCount(), after.clickCount())).containsExactly(1L, 1L);
        assertThat(after.firstOpenedAt()).isEqualTo(T0.plusSeconds(90));
        assertThat(after.firstClickedAt()).isEqualTo(T0.plusSeconds(70));
    }

    @Test
    void theProvidersClicksCountedInABurstLeaveItWhenTheyTurnCorroboration() {
        List<EmailEvent> burst = new ArrayList<>();
        burst.add(event(EmailEventType.DELIVERED).activity("a").at(T0).build());
        for (int i = 0; i < 5; i++) {
            burst.add(event(EmailEventType.CLICKED)
                    .activity("a")
                    .link(LINK + i)
                    .at(T0.plusMillis(60_000 + 100 * i))
                    .by(Classification.HUMAN)
                    .build());
        }
        ActivityState scanned = memory.apply(null, "a", burst, T0).orElseThrow();
        assertThat(memory.rows()).filteredOn(Hit::burst).hasSize(5);

        ActivityState after = memory.apply(
                        scanned,
                        "a",
                        List.of(queued("a", T0.minusSeconds(1), OwnTracking.of(false, true), Map.of())),
                        T0)
                .orElseThrow();

        assertThat(scanned.machineClickCount()).isEqualTo(5);
        assertThat(List.of(
                        after.clickCount(),
                        after.machineClickCount(),
                        after.ownTracking().corroboratingClicks()))
                .containsExactly(0L, 0L, 5L);
        assertThat(after.links()).isEmpty();
        assertThat(memory.rows()).noneMatch(Hit::burst);
    }

    @Test
    void onlyTheSendServiceDeclaresOurTrackingAndACallersTagOfThatNameIsOverwritten() {
        EmailEvent webhook = event(EmailEventType.DELIVERED)
                .activity("a")
                .tags(Map.of(OwnTrackingDeclaration.TAG, "opens_clicks"))
                .build();
        EmailEvent untracked = queued("a", T0, OwnTracking.NONE, Map.of(OwnTrackingDeclaration.TAG, "opens_clicks"));
        EmailEvent resendOpen = event(EmailEventType.OPENED)
                .activity("a")
                .at(T0.plusSeconds(60))
                .build();

        ActivityState state =
                ActivityFold.of(key("a"), List.of(webhook, untracked, resendOpen), EngagementRules.DEFAULTS, T0);

        assertThat(untracked.tags()).containsEntry(OwnTrackingDeclaration.TAG, "none");
        assertThat(state.ownTracking()).isEqualTo(OwnTracking.NONE);
        assertThat(state.openCount()).isEqualTo(1);
    }

    private static EmailEvents ourOpen(Instant at) {
        return event(EmailEventType.OPENED)
                .activity("a")
                .from(EventSource.TRACKING_PIXEL)
                .at(at);
    }
}
