package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.projection.ActivityFoldTests.T0;
import static dev.mailtrail.send.projection.ActivityFoldTests.fold;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecipientFoldTests {

    static final List<String> TWO = List.of("delivered@resend.dev", "bounced@resend.dev");

    /** The send-service's queued fact of an email sent as one message to each of {@code recipients}. */
    static EmailEvents queued(List<String> recipients) {
        return event(EmailEventType.QUEUED)
                .from(EventSource.SEND_SERVICE)
                .id("send:q")
                .at(T0)
                .to(recipients)
                .tags(Map.of(Recipients.COUNT_TAG, Integer.toString(recipients.size())));
    }

    static EmailEvents of(int recipient, EmailEventType type, int second) {
        return event(type)
                .id(type.wire() + ":" + recipient + ":" + second)
                .at(T0.plusSeconds(second))
                .recipient(recipient);
    }

    @Test
    void aBouncedCcDoesNotMakeADeliveredEmailBouncedItIsOneProblem() {
        ActivityState state = fold(
                queued(TWO).build(),
                of(0, EmailEventType.SENT, 1).build(),
                of(1, EmailEventType.SENT, 1).build(),
                of(0, EmailEventType.DELIVERED, 2).build(),
                of(1, EmailEventType.BOUNCED, 3)
                        .bounce("Permanent", "no such user")
                        .build());

        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
        assertThat(state.bouncedAt()).isNull();
        assertThat(state.problems()).isEqualTo(1);
        assertThat(state.recipients())
                .extracting(Recipient::index, Recipient::email, Recipient::status)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(0, "delivered@resend.dev", ActivityStatus.DELIVERED),
                        org.assertj.core.groups.Tuple.tuple(1, "bounced@resend.dev", ActivityStatus.BOUNCED));
        assertThat(state.recipients().get(1).bounce().message()).isEqualTo("no such user");
        assertThat(state.recipients().get(1).bouncedAt()).isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void whenNoRecipientWasReachedTheHighestRankAmongThemIsTheActivitys() {
        ActivityState state = fold(
                queued(TWO).build(),
                of(0, EmailEventType.SENT, 1).build(),
                of(1, EmailEventType.BOUNCED, 3).bounce("Permanent", "gone").build());

        assertThat(state.status()).isEqualTo(ActivityStatus.BOUNCED);
        assertThat(state.bouncedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(state.bounce().message()).isEqualTo("gone");
        assertThat(state.problems()).isEqualTo(1);
    }

    @Test
    void anOpenIsAttributedToTheRecipientWhosePixelItWasAndTheBestEngagementIsTheActivitys() {
        ActivityState state = fold(
                queued(TWO).build(),
                of(0, EmailEventType.DELIVERED, 1).build(),
                of(1, EmailEventType.DELIVERED, 1).build(),
                of(1, EmailEventType.OPENED, 120)
                        .from(EventSource.TRACKING_PIXEL)
                        .by(Classification.HUMAN, "ua")
                        .build(),
                // Resend's own open of recipient 0 corroborates, it is not ours to count per recipient
                of(0, EmailEventType.OPENED, 130).build(),
                of(0, EmailEventType.OPENED, 140)
                        .from(EventSource.TRACKING_PIXEL)
                        .by(Classification.MACHINE, "mpp")
                        .build());

        assertThat(state.status()).isEqualTo(ActivityStatus.OPENED);
        assertThat(state.recipients()).extracting(Recipient::openCount).containsExactly(0L, 1L);
        assertThat(state.recipients().get(1).firstOpenedAt()).isEqualTo(T0.plusSeconds(120));
        assertThat(state.recipients())
                .extracting(Recipient::status)
                .containsExactly(ActivityStatus.DELIVERED, ActivityStatus.OPENED);
        assertThat(state.problems()).isZero();
    }

    @Test
    void aTagNamingNobodyIsIgnoredAndAnEmailSentAsOneMessageHasNoRecipients() {
        EmailEvent rogue = event(EmailEventType.BOUNCED)
                .id("rogue")
                .at(T0)
                .tags(Map.of(Recipients.TAG, "150"))
                .bounce("Permanent", "x")
                .build();
        EmailEvent word = event(EmailEventType.BOUNCED)
                .id("word")
                .at(T0)
                .tags(Map.of(Recipients.TAG, "one"))
                .bounce("Permanent", "x")
                .build();
        // a caller's own tag of that name on a one-message email's queued fact lists nobody
        EmailEvent single = event(EmailEventType.QUEUED)
                .from(EventSource.SEND_SERVICE)
                .id("send:q")
                .at(T0)
                .to(List.of("a@x.test"))
                .tags(Map.of(Recipients.COUNT_TAG, "1"))
                .build();

        ActivityState state = fold(
                single,
                rogue,
                word,
                event(EmailEventType.DELIVERED).id("d").at(T0).build());

        assertThat(state.recipients()).isEmpty();
        assertThat(state.status()).isEqualTo(ActivityStatus.BOUNCED);
    }

    @Test
    void anUnsubscribeIsTheRecipientsOwnAndTheActivitysEarliestWithoutMovingAStatus() {
        ActivityState state = fold(
                queued(TWO).build(),
                of(0, EmailEventType.DELIVERED, 1).build(),
                of(1, EmailEventType.DELIVERED, 1).build(),
                of(1, EmailEventType.UNSUBSCRIBED, 8).build(),
                of(1, EmailEventType.UNSUBSCRIBED, 5).build());

        assertThat(state.recipients()).extracting(Recipient::unsubscribedAt).containsExactly(null, T0.plusSeconds(5));
        assertThat(state.recipients()).extracting(Recipient::status).containsOnly(ActivityStatus.DELIVERED);
        assertThat(state.unsubscribedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(state.status()).isEqualTo(ActivityStatus.DELIVERED);
    }

    @Test
    void aRecipientsSingleShotFactsAreItsOwnTheEarliestOfEachCounts() {
        ActivityState state = fold(
                queued(TWO).build(),
                of(0, EmailEventType.DELIVERED, 9).build(),
                of(0, EmailEventType.DELIVERED, 4).build(),
                of(1, EmailEventType.DELIVERED, 6).build());

        assertThat(state.recipients())
                .extracting(Recipient::deliveredAt)
                .containsExactly(T0.plusSeconds(4), T0.plusSeconds(6));
        assertThat(state.deliveredAt()).isEqualTo(T0.plusSeconds(4));
    }
}
