package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.send.query.Badge;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActivityFoldTests {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");

    static ActivityState fold(EmailEvent... events) {
        return ActivityFold.of(key("a"), List.of(events), EngagementRules.DEFAULTS, T0);
    }

    /** What ProjectionBatch does: the earlier events recorded (as one batch), then this batch folded on top. */
    static Optional<ActivityState> next(List<EmailEvent> earlier, EmailEvent... batch) {
        MemoryHits memory = new MemoryHits(EngagementRules.DEFAULTS);
        ActivityState current = memory.apply(null, "a", earlier, T0).orElseThrow();
        return memory.apply(current, "a", List.of(batch), T0);
    }

    @Test
    void deliveredAfterSentRaisesTheStatusAndRecordsBothTimes() {
        ActivityState state = fold(
                event(EmailEventType.SENT).at(T0).build(),
                event(EmailEventType.DELIVERED).at(T0.plusSeconds(2)).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.sentAt()).isEqualTo(T0);
        assertThat(state.deliveredAt()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void aLateSentNeverLowersTheStatus() {
        ActivityState state = fold(
                event(EmailEventType.DELIVERED).at(T0.plusSeconds(2)).build(),
                event(EmailEventType.SENT).at(T0).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.sentAt()).isEqualTo(T0);
    }

    @Test
    void machineOpensAreCountedApartAndNeverRaiseTheStatus() {
        ActivityState state = fold(
                event(EmailEventType.DELIVERED).at(T0).build(),
                event(EmailEventType.OPENED)
                        .at(T0.plusSeconds(5))
                        .by(Classification.MACHINE)
                        .build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.openCount()).isZero();
        assertThat(state.machineOpenCount()).isEqualTo(1);
        assertThat(state.firstOpenedAt()).isNull();
    }

    @Test
    void unknownOpensCountAsOpens() {
        ActivityState state = fold(
                event(EmailEventType.OPENED)
                        .at(T0.plusSeconds(9))
                        .by(Classification.UNKNOWN)
                        .build(),
                event(EmailEventType.OPENED)
                        .at(T0.plusSeconds(3))
                        .by(Classification.HUMAN)
                        .build());

        assertThat(state.status()).isEqualTo(ActivityStatus.OPENED);
        assertThat(state.openCount()).isEqualTo(2);
        assertThat(state.firstOpenedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(state.lastOpenedAt()).isEqualTo(T0.plusSeconds(9));
    }

    @Test
    void aClickWithoutASeenOpenInfersOneUntilAnOpenArrives() {
        EmailEvent click = event(EmailEventType.CLICKED)
                .at(T0)
                .link("https://acme.test/pricing")
                .build();
        ActivityState clicked = fold(click);
        ActivityState opened =
                fold(click, event(EmailEventType.OPENED).at(T0.minusSeconds(1)).build());

        assertThat(clicked.openInferred()).isTrue();
        assertThat(clicked.links()).containsExactly(new ActivityState.LinkClicks("https://acme.test/pricing", 1, 0));
        assertThat(opened.openInferred()).isFalse();
        assertThat(opened.status()).isEqualTo(ActivityStatus.CLICKED);
    }

    @Test
    void theEarliestBounceKeepsItsDetails() {
        ActivityState state = fold(
                event(EmailEventType.BOUNCED)
                        .at(T0.plusSeconds(10))
                        .bounce("Transient", "later")
                        .build(),
                event(EmailEventType.BOUNCED)
                        .at(T0)
                        .bounce("Permanent", "mailbox unknown")
                        .build());

        assertThat(state.status()).isEqualTo(ActivityStatus.BOUNCED);
        assertThat(state.bouncedAt()).isEqualTo(T0);
        assertThat(state.bounce().hard()).isTrue();
        assertThat(state.bounce().message()).isEqualTo("mailbox unknown");
    }

    @Test
    void anUnsubscribeRecordsItsEarliestTimeAndMovesNoStatus() {
        ActivityState state = fold(
                event(EmailEventType.DELIVERED).at(T0).build(),
                event(EmailEventType.UNSUBSCRIBED).at(T0.plusSeconds(30)).build(),
                event(EmailEventType.UNSUBSCRIBED).at(T0.plusSeconds(20)).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.unsubscribedAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(fold(event(EmailEventType.DELIVERED).at(T0).build()).unsubscribedAt())
                .isNull();
    }

    @Test
    void complaintOutranksEverything() {
        ActivityState state = fold(
                event(EmailEventType.COMPLAINED).at(T0).build(),
                event(EmailEventType.CLICKED)
                        .at(T0.plusSeconds(1))
                        .link("https://x.test")
                        .build(),
                event(EmailEventType.DELIVERED).at(T0.minusSeconds(1)).build());

        assertThat(state.status()).isEqualTo(ActivityStatus.COMPLAINED);
        assertThat(List.of(state.deliveredAt(), state.complainedAt(), state.firstClickedAt()))
                .containsExactly(T0.minusSeconds(1), T0, T0.plusSeconds(1));
    }

    @Test
    void anEmailNobodyTracksOpensOfIsNotTrackedUntilAnOpenProvesOtherwise() {
        EmailEvent queued = event(EmailEventType.QUEUED)
                .from(EventSource.SEND_SERVICE)
                .at(T0)
                .tags(Map.of(OpenTracking.TAG, "NOT_TRACKED"))
                .build();
        EmailEvent delivered =
                event(EmailEventType.DELIVERED).at(T0.plusSeconds(1)).build();

        assertThat(fold(delivered).openTracking()).isEqualTo(OpenTracking.TRACKED);
        assertThat(fold(queued, delivered).openTracking()).isEqualTo(OpenTracking.NOT_TRACKED);
        assertThat(fold(
                                queued,
                                event(EmailEventType.OPENED)
                                        .by(Classification.MACHINE)
                                        .build())
                        .openTracking())
                .isEqualTo(OpenTracking.TRACKED);
    }

    @Test
    void onlyTheSendServiceCanDeclareAnEmailNotTracked() {
        EmailEvent webhook = event(EmailEventType.DELIVERED)
                .tags(Map.of(OpenTracking.TAG, "NOT_TRACKED"))
                .build();

        assertThat(fold(webhook).openTracking()).isEqualTo(OpenTracking.TRACKED);
    }

    @Test
    void aBatchThatChangesNothingGivesNoNewVersion() {
        EmailEvent sent = event(EmailEventType.SENT).at(T0).build();
        ActivityState v1 = fold(sent);
        EmailEvent laterSent = event(EmailEventType.SENT)
                .at(T0.plusSeconds(3))
                .message(sent.providerMessageId())
                .build();

        assertThat(v1.version()).isEqualTo(1);
        MemoryHits memory = new MemoryHits(EngagementRules.DEFAULTS);
        assertThat(memory.apply(v1, "a", List.of(laterSent), T0.plusSeconds(9))).isEmpty();
        assertThat(memory.apply(v1, "a", List.of(event(EmailEventType.DELIVERED).build()), T0.plusSeconds(9)))
                .get()
                .extracting(ActivityState::version, ActivityState::updatedAt)
                .containsExactly(2L, T0.plusSeconds(9));
    }

    @Test
    void bouncesInTheSameMillisecondKeepTheSameDetailWhicheverArrivesFirst() {
        EmailEvent soft =
                event(EmailEventType.BOUNCED).at(T0).bounce("Transient", "full").build();
        EmailEvent hard = event(EmailEventType.BOUNCED)
                .at(T0)
                .bounce("Permanent", "unknown")
                .build();

        assertThat(fold(soft, hard).bounce())
                .isEqualTo(fold(hard, soft).bounce())
                .extracting(EmailEvent.Bounce::hard)
                .isEqualTo(true);
    }

    @Test
    void aLaterHumanOpenUpgradesAnAutoOpen() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        EmailEvent prefetch = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(5))
                .by(Classification.MACHINE, "apple_mpp")
                .build();
        EmailEvent read = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(3600))
                .by(Classification.HUMAN)
                .build();

        ActivityState autoOpen = fold(delivered, prefetch);
        ActivityState upgraded = next(List.of(delivered, prefetch), read).orElseThrow();

        assertThat(Badge.of(autoOpen, T0).note()).isEqualTo(Badge.AUTO_OPEN);
        assertThat(autoOpen.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(upgraded.status()).isEqualTo(ActivityStatus.OPENED);
        assertThat(List.of(upgraded.openCount(), upgraded.machineOpenCount())).containsExactly(1L, 1L);
        assertThat(upgraded.firstOpenedAt()).isEqualTo(T0.plusSeconds(3600));
        assertThat(Badge.of(upgraded, T0).note()).isNull();
    }

    @Test
    void anOpenTooSoonAfterDeliveryIsAnAutoOpenUntilALaterOneCounts() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        EmailEvent early = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(1))
                .by(Classification.UNKNOWN)
                .build();
        EmailEvent later = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(90))
                .by(Classification.UNKNOWN)
                .build();

        ActivityState autoOpen = fold(delivered, early);

        assertThat(autoOpen.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(Badge.of(autoOpen, T0).note()).isEqualTo(Badge.AUTO_OPEN);
        assertThat(fold(delivered, early, later))
                .extracting(ActivityState::status, ActivityState::openCount, ActivityState::machineOpenCount)
                .containsExactly(ActivityStatus.OPENED, 1L, 1L);
    }

    @Test
    void theScannerWindowIsMeasuredFromDeliveryNotFromSending() {
        EmailEvent sent = event(EmailEventType.SENT).at(T0).build();
        EmailEvent delivered =
                event(EmailEventType.DELIVERED).at(T0.plusSeconds(10)).build();
        // 11 s after sending, 1 s after delivery
        EmailEvent click = event(EmailEventType.CLICKED)
                .at(T0.plusSeconds(11))
                .link("https://acme.test/a")
                .build();

        ActivityState state = fold(sent, delivered, click);

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(List.of(state.clickCount(), state.machineClickCount())).containsExactly(0L, 1L);
        assertThat(state.openInferred()).isFalse();
    }

    @Test
    void theClickThatCompletesABurstInALaterBatchLowersTheStatusToThatOfTheSet() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        List<EmailEvent> clicks = EngagementTests.clicks(T0.plusSeconds(60), 5, 100);
        List<EmailEvent> firstFour = clicks.subList(0, 4);

        ActivityState four = fold(delivered, clicks.get(0), clicks.get(1), clicks.get(2), clicks.get(3));
        ActivityState five = next(
                        List.of(delivered, clicks.get(0), clicks.get(1), clicks.get(2), clicks.get(3)), clicks.get(4))
                .orElseThrow();

        assertThat(four.status()).isEqualTo(ActivityStatus.CLICKED);
        assertThat(four.clickCount()).isEqualTo(firstFour.size());
        assertThat(four.humanClickCount()).isEqualTo(firstFour.size());
        assertThat(five.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(List.of(five.clickCount(), five.machineClickCount(), five.humanClickCount()))
                .containsExactly(0L, 5L, 0L);
        assertThat(five.firstClickedAt()).isNull();
        assertThat(five.openInferred()).isFalse();
        assertThat(Versions.stamp(five, 1, T0))
                .isEqualTo(fold(clicks.get(4), delivered, clicks.get(2), clicks.get(0), clicks.get(3), clicks.get(1)));
    }

    @Test
    void theHumanOpensAndClicksAreCountedAgainAmongTheCountedOnes() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        EmailEvent resendOpen =
                event(EmailEventType.OPENED).at(T0.plusSeconds(60)).build();
        EmailEvent read = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(90))
                .by(Classification.HUMAN)
                .build();
        // unsure and too soon after delivery: a machine's; Gmail's proxy is a person even that soon
        EmailEvent tooSoon = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(1))
                .by(Classification.HUMAN)
                .build();
        EmailEvent gmail = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(1))
                .by(Classification.HUMAN, "gmail_image_proxy")
                .build();
        EmailEvent click = event(EmailEventType.CLICKED)
                .at(T0.plusSeconds(100))
                .link("https://acme.test/a")
                .by(Classification.HUMAN)
                .build();
        EmailEvent unknownClick = event(EmailEventType.CLICKED)
                .at(T0.plusSeconds(200))
                .link("https://acme.test/b")
                .build();

        ActivityState state = fold(delivered, resendOpen, read, tooSoon, gmail, click, unknownClick);

        assertThat(List.of(state.openCount(), state.machineOpenCount(), state.humanOpenCount()))
                .containsExactly(3L, 1L, 2L);
        assertThat(List.of(state.clickCount(), state.machineClickCount(), state.humanClickCount()))
                .containsExactly(2L, 0L, 1L);
        assertThat(Versions.stamp(
                        next(List.of(delivered, resendOpen, tooSoon), read, gmail, click, unknownClick)
                                .orElseThrow(),
                        1,
                        T0))
                .isEqualTo(state);
    }

    @Test
    void aDeliveryArrivingAfterTheOpensReclassifiesThem() {
        EmailEvent open = event(EmailEventType.OPENED).at(T0.plusSeconds(1)).build();
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();

        ActivityState opened = fold(open);
        ActivityState scanned = next(List.of(open), delivered).orElseThrow();

        assertThat(opened.status()).isEqualTo(ActivityStatus.OPENED);
        assertThat(scanned.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(List.of(scanned.openCount(), scanned.machineOpenCount())).containsExactly(0L, 1L);
    }

    @Test
    void theRecordedOpensAndClicksAreReadOnlyAroundNewClicksOrWhenDeliveryMovesEarlier() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        EmailEvent open = event(EmailEventType.OPENED).at(T0.plusSeconds(60)).build();
        EmailEvent click = event(EmailEventType.CLICKED)
                .at(T0.plusSeconds(90))
                .link("https://acme.test/a")
                .build();
        ActivityState delivering = fold(delivered);
        ActivityState opened = fold(delivered, open);
        ActivityState clicked = fold(delivered, open, click);

        // no engagement yet: the batch's own events are all there is
        assertThat(kind(null, open)).isEqualTo(EngagementFold.Kind.FRESH);
        assertThat(kind(delivering, open)).isEqualTo(EngagementFold.Kind.FRESH);
        // another open needs nothing read, whatever the activity has
        assertThat(ActivityFold.reads(
                        opened, key("a"), List.of(event(EmailEventType.OPENED).build()), EngagementRules.DEFAULTS))
                .satisfies(read -> {
                    assertThat(read.kind()).isEqualTo(EngagementFold.Kind.DELTA);
                    assertThat(read.readsWindows()).isFalse();
                    assertThat(read.readsBounds()).isFalse();
                });
        // a click: the clicks within a burst window of it; the last counted click is in that window
        EmailEvent next = event(EmailEventType.CLICKED)
                .at(T0.plusMillis(90_400))
                .link("https://acme.test/b")
                .build();
        assertThat(ActivityFold.reads(clicked, key("a"), List.of(next), EngagementRules.DEFAULTS))
                .satisfies(read -> {
                    assertThat(read.windows())
                            .containsExactly(new EngagementFold.Window(T0.plusMillis(89_400), T0.plusMillis(91_400)));
                    assertThat(read.firstFrom()).isEqualTo(T0.plusSeconds(90));
                    assertThat(read.lastTo()).isEqualTo(T0.plusSeconds(90));
                });
        // an earlier delivery moves the scanner window: every hit is read
        assertThat(kind(
                        opened,
                        event(EmailEventType.DELIVERED).at(T0.minusMillis(1)).build()))
                .isEqualTo(EngagementFold.Kind.ALL);
        // a later delivery, or another fact, moves nothing the count depends on
        assertThat(kind(
                        opened,
                        event(EmailEventType.DELIVERED).at(T0.plusSeconds(1)).build(),
                        event(EmailEventType.BOUNCED).build()))
                .isEqualTo(EngagementFold.Kind.NONE);
    }

    private static EngagementFold.Kind kind(ActivityState current, EmailEvent... batch) {
        return ActivityFold.reads(current, key("a"), List.of(batch), EngagementRules.DEFAULTS)
                .kind();
    }
}
