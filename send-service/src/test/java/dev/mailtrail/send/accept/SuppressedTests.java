package dev.mailtrail.send.accept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.send.suppression.Reason;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SuppressedTests {

    @Test
    void theRemainingRequestLosesOnlyTheListedAddressesAndKeepsEveryOtherChoice() {
        SendEmailCommand asked = CopiesTests.command(
                        List.of("a@x.test", "Gone <gone@x.test>"), List.of("c@x.test"), List.of("GONE@x.test"), true)
                .withReplyTo("sales@acme.test")
                .withUnsubscribe(true);

        Suppressed suppressed = Suppressed.of(asked, Map.of("gone@x.test", Reason.HARD_BOUNCE));

        assertThat(suppressed.remaining())
                .isEqualTo(asked.withRecipients(List.of("a@x.test"), List.of("c@x.test"), List.of()));
        assertThat(suppressed.remaining().unsubscribe()).isTrue();
        assertThat(suppressed.remaining().replyTo()).isEqualTo("sales@acme.test");
        assertThat(suppressed.dropped()).extracting(Suppressed.Dropped::reason).containsOnly(Reason.HARD_BOUNCE);
    }
}
