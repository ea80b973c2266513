package dev.mailtrail.send.query;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.AutoReplyKind;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.OwnTrackingDeclaration;
import dev.mailtrail.send.projection.ActivityFold;
import dev.mailtrail.send.projection.EngagementRules;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BadgeTests {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");

    static ActivityState state(EmailEvent... events) {
        return ActivityFold.of(key("a"), List.of(events), EngagementRules.DEFAULTS, T0);
    }

    @Test
    void anOpenedEmailSaysWhenItWasFirstOpened() {
        Badge badge = Badge.of(
                state(
                        event(EmailEventType.DELIVERED).at(T0).build(),
                        event(EmailEventType.OPENED)
                                .at(T0.plusSeconds(60))
                                .by(Classification.HUMAN)
                                .build(),
                        event(EmailEventType.OPENED).at(T0.plusSeconds(600)).build()),
                T0.plusSeconds(60 + 2 * 3600));

        assertThat(badge).isEqualTo(new Badge("Opened", null, T0.plusSeconds(60), "2h ago", 0));
    }

    @Test
    void aRepliedEmailSaysWhenThePersonFirstRepliedWithNoNoteAboutOpensAReplySpeaksFor() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        EmailEvent replied = reply(EmailEventType.REPLIED, T0.plusSeconds(600), "inb-1");
        EmailEvent later = reply(EmailEventType.REPLIED, T0.plusSeconds(900), "inb-2");
        Instant now = T0.plusSeconds(600 + 3 * 3600 + 59);

        assertThat(Badge.of(state(delivered, replied, later), now))
                .isEqualTo(new Badge("Replied", null, T0.plusSeconds(600), "3h ago", 0));
        // a machine's open or Resend's unverified one, next to a reply, is no note: the reply says a person read it
        assertThat(Badge.of(
                        state(
                                delivered,
                                event(EmailEventType.OPENED)
                                        .at(T0.plusSeconds(3))
                                        .by(Classification.MACHINE)
                                        .build(),
                                event(EmailEventType.OPENED)
                                        .at(T0.plusSeconds(60))
                                        .build(),
                                replied),
                        now))
                .isEqualTo(new Badge("Replied", null, T0.plusSeconds(600), "3h ago", 0));
        // an auto-reply is a timeline fact only: the badge stays what it was
        assertThat(Badge.of(state(delivered, reply(EmailEventType.AUTO_REPLIED, T0.plusSeconds(600), "inb-3")), now)
                        .label())
                .isEqualTo("Delivered");
    }

    private static EmailEvent reply(EmailEventType type, Instant at, String inbound) {
        return event(type)
                .id("reply:" + inbound)
                .at(at)
                .from(EventSource.SEND_SERVICE)
                .reply(type == EmailEventType.AUTO_REPLIED ? AutoReplyKind.OUT_OF_OFFICE : null, inbound)
                .build();
    }

    @Test
    void opensOfUnknownOriginAloneAreAnUnverifiedOpen() {
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(T0).build();
        // Resend's opens: no client data at all
        EmailEvent resendOpen =
                event(EmailEventType.OPENED).at(T0.plusSeconds(60)).build();
        EmailEvent unknownOpen = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(90))
                .by(Classification.UNKNOWN)
                .build();
        EmailEvent machineOpen = event(EmailEventType.OPENED)
                .at(T0.plusSeconds(3))
                .by(Classification.MACHINE)
                .build();

        assertThat(Badge.of(state(delivered, resendOpen, unknownOpen, machineOpen), T0.plusSeconds(120)))
                .isEqualTo(new Badge("Opened", Badge.UNVERIFIED_OPEN, T0.plusSeconds(60), "1m ago", 0));
        // a person's open, or any counted click, speaks for the opens
        assertThat(Badge.of(
                                state(
                                        delivered,
                                        resendOpen,
                                        event(EmailEventType.OPENED)
                                                .at(T0.plusSeconds(70))
                                                .by(Classification.HUMAN, "gmail_image_proxy")
                                                .build()),
                                T0.plusSeconds(120))
                        .note())
                .isNull();
        assertThat(Badge.of(
                        state(
                                delivered,
                                resendOpen,
                                event(EmailEventType.CLICKED)
                                        .at(T0.plusSeconds(70))
                                        .link("https://x.test")
                                        .build()),
                        T0.plusSeconds(120)))
                .extracting(Badge::label, Badge::note)
                .containsExactly("Clicked", null);
    }

    @Test
    void onlyMachineOpensAreAnAutoOpenNotAnOpen() {
        Badge badge = Badge.of(
                state(
                        event(EmailEventType.DELIVERED).at(T0).build(),
                        event(EmailEventType.OPENED)
                                .at(T0.plusSeconds(5))
                                .by(Classification.MACHINE)
                                .build()),
                T0.plusSeconds(3 * 86_400));

        assertThat(badge).isEqualTo(new Badge("Delivered", Badge.AUTO_OPEN, T0, "3d ago", 0));
    }

    @Test
    void anUntrackedEmailSaysSoInsteadOfLookingUnopened() {
        EmailEvent queued = event(EmailEventType.QUEUED)
                .at(T0)
                .from(EventSource.SEND_SERVICE)
                .tags(Map.of(OpenTracking.TAG, "NOT_TRACKED"))
                .build();

        Badge badge = Badge.of(
                state(
                        queued,
                        event(EmailEventType.DELIVERED).at(T0.plusSeconds(30)).build()),
                T0.plusSeconds(90));

        assertThat(badge.label()).isEqualTo("Delivered");
        assertThat(badge.note()).isEqualTo(Badge.OPENS_NOT_TRACKED);
        assertThat(badge.relative()).isEqualTo("1m ago");
    }

    @Test
    void anEmailUntrackedForLackOfConsentSaysSo() {
        EmailEvent queued = event(EmailEventType.QUEUED)
                .at(T0)
                .from(EventSource.SEND_SERVICE)
                .tags(Map.of(
                        OpenTracking.TAG,
                        "NOT_TRACKED",
                        OwnTrackingDeclaration.TAG,
                        OwnTrackingDeclaration.of(ActivityState.OwnTracking.NO_CONSENT)))
                .build();

        ActivityState state = state(
                queued, event(EmailEventType.DELIVERED).at(T0.plusSeconds(30)).build());

        assertThat(state.openTracking()).isEqualTo(OpenTracking.NOT_TRACKED);
        assertThat(state.ownTracking().noConsent()).isTrue();
        assertThat(Badge.of(state, T0.plusSeconds(90)).note()).isEqualTo(Badge.NO_CONSENT);
    }

    @ParameterizedTest
    @CsvSource({
        "DELIVERY_DELAYED, Delayed",
        "BOUNCED, Bounced",
        "COMPLAINED, Complained",
        "FAILED, Failed",
        "SUPPRESSED, Suppressed",
        "SENT, Sent",
        "SCHEDULED, Scheduled",
        "CLICKED, Clicked",
        "QUEUED, Queued"
    })
    void everyStatusHasItsLabelAndTime(EmailEventType type, String label) {
        EmailEvent e = event(type)
                .at(T0)
                .link("https://x.test")
                .bounce("Permanent", "no")
                .failure("r")
                .build();

        Badge badge = Badge.of(state(e), T0.plusSeconds(30));

        assertThat(badge.label()).isEqualTo(label);
        assertThat(badge.at()).isEqualTo(T0);
        assertThat(badge.relative()).isEqualTo("just now");
    }

    @ParameterizedTest
    @CsvSource({
        "59, just now",
        "60, 1m ago",
        "3599, 59m ago",
        "3600, 1h ago",
        "86399, 23h ago",
        "86400, 1d ago",
        "1209600, 2w ago",
        "5184000, 2mo ago",
        "31536000, 1y ago",
        "-300, in 5m"
    })
    void relativeTimesAreCompactEnglish(long secondsAgo, String expected) {
        assertThat(Badge.relative(T0, T0.plusSeconds(secondsAgo))).isEqualTo(expected);
    }
}
