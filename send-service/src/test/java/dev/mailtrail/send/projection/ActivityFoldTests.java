package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import org.junit.jupiter.api.Test;

class ActivityFoldTests {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");

    static ActivityState fold(EmailEvent... events) {
        ActivityState state = ActivityFold.empty("a", T0);
        for (EmailEvent e : events) {
            state = ActivityFold.apply(state, e);
        }
        return state;
    }

    @Test
    void deliveredAfterSentRaisesTheStatusAndRecordsBothTimes() {
        ActivityState state = fold(event(EmailEventType.SENT).at(T0).build(),
                event(EmailEventType.DELIVERED).at(T0.plusSeconds(2)).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.sentAt()).isEqualTo(T0);
        assertThat(state.deliveredAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aLateSentNeverLowersTheStatus() {
        ActivityState state = fold(event(EmailEventType.DELIVERED).at(T0.plusSeconds(2)).build(),
                event(EmailEventType.SENT).at(T0).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.sentAt()).isEqualTo(T0);
    }

    @Test
    void machineOpensAreCountedApartAndNeverRaiseTheStatus() {
        ActivityState state = fold(event(EmailEventType.DELIVERED).at(T0).build(),
                event(EmailEventType.OPENED).at(T0.plusSeconds(5)).by(Classification.MACHINE).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.openCount()).isZero();
        assertThat(state.machineOpenCount()).isEqualTo(1);
        assertThat(state.firstOpenedAt()).isNull();
    }

    @Test
    void unknownOpensCountAsOpens() {
        ActivityState state = fold(event(EmailEventType.OPENED).at(T0.plusSeconds(9)).by(Classification.UNKNOWN).build(),
                event(EmailEventType.OPENED).at(T0.plusSeconds(3)).by(Classification.HUMAN).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.OPENED);
        assertThat(state.openCount()).isEqualTo(2);
        assertThat(state.firstOpenedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(state.lastOpenedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void aClickWithoutASeenOpenInfersOneUntilAnOpenArrives() {
        EmailEvent click = event(EmailEventType.CLICKED).at(T0).link("https://acme.test/pricing").build();
        ActivityState clicked = fold(click);
        ActivityState opened = ActivityFold.apply(clicked, event(EmailEventType.OPENED).at(T0.minusSeconds(1)).build());

        assertThat(clicked.openInferred()).isTrue();
        assertThat(clicked.links()).containsExactly(new ActivityState.LinkClicks("https://acme.test/pricing", 1, 0));
        assertThat(opened.openInferred()).isFalse();
        assertThat(opened.status()).isEqualTo(ActivityStatus.CLICKED);
    }

    @Test
    void theEarliestBounceKeepsItsDetails() {
        ActivityState state = fold(
                event(EmailEventType.BOUNCED).at(T0.plusSeconds(10)).bounce("Transient", "later").build(),
                event(EmailEventType.BOUNCED).at(T0).bounce("Permanent", "mailbox unknown").build());

        assertThat(state.status()).isEqualTo(ActivityStatus.BOUNCED);
        assertThat(state.bouncedAt()).isEqualTo(T0);
        assertThat(state.bounce().hard()).isTrue();
        assertThat(state.bounce().message()).isEqualTo("mailbox unknown");
    }

    @Test
    void complaintOutranksEverything() {
        ActivityState state = fold(event(EmailEventType.COMPLAINED).at(T0).build(),
                event(EmailEventType.CLICKED).at(T0.plusSeconds(1)).link("https://x.test").build(),
                event(EmailEventType.DELIVERED).at(T0.minusSeconds(1)).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.COMPLAINED);
        assertThat(List.of(state.deliveredAt(), state.complainedAt(), state.firstClickedAt()))
                .containsExactly(T0.minusSeconds(1), T0, T0.plusSeconds(1));
    }

    @Test
    void anEmailNobodyTracksOpensOfIsNotTrackedUntilAnOpenProvesOtherwise() {
        EmailEvent queued = event(EmailEventType.QUEUED).from(EventSource.SEND_SERVICE).at(T0)
                .tags(Map.of(ActivityFold.OPEN_TRACKING_TAG, "NOT_TRACKED")).build();
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0.plusSeconds(1)).build();

        assertThat(fold(delivered).openTracking()).isEqualTo(OpenTracking.TRACKED);
        assertThat(fold(queued, delivered).openTracking()).isEqualTo(OpenTracking.NOT_TRACKED);
        assertThat(fold(queued, event(EmailEventType.OPENED).by(Classification.MACHINE).build()).openTracking())
                .isEqualTo(OpenTracking.TRACKED);
    }

    @Test
    void onlyTheSendServiceCanDeclareAnEmailNotTracked() {
        EmailEvent webhook = event(EmailEventType.DELIVERED)
                .tags(Map.of(ActivityFold.OPEN_TRACKING_TAG, "NOT_TRACKED")).build();

        assertThat(fold(webhook).openTracking()).isEqualTo(OpenTracking.TRACKED);
    }

    @Test
    void aBatchThatChangesNothingGivesNoNewVersion() {
        EmailEvent sent = event(EmailEventType.SENT).at(T0).build();
        ActivityState v1 = ActivityFold.next(null, "a", List.of(sent), T0).orElseThrow();
        EmailEvent laterSent = event(EmailEventType.SENT).at(T0.plusSeconds(3)).message(sent.providerMessageId())
                .build();

        assertThat(v1.version()).isEqualTo(1);
        assertThat(ActivityFold.next(v1, "a", List.of(laterSent), T0.plusSeconds(9))).isEmpty();
        assertThat(ActivityFold.next(v1, "a", List.of(event(EmailEventType.DELIVERED).build()), T0.plusSeconds(9)))
                .get().extracting(ActivityState::version, ActivityState::updatedAt)
                .containsExactly(2L, T0.plusSeconds(9));
    }

    @Test
    void bouncesInTheSameMillisecondKeepTheSameDetailWhicheverArrivesFirst() {
        EmailEvent soft = event(EmailEventType.BOUNCED).at(T0).bounce("Transient", "full").build();
        EmailEvent hard = event(EmailEventType.BOUNCED).at(T0).bounce("Permanent", "unknown").build();

        assertThat(fold(soft, hard).bounce()).isEqualTo(fold(hard, soft).bounce()).extracting(EmailEvent.Bounce::hard)
                .isEqualTo(true);
    }
}
