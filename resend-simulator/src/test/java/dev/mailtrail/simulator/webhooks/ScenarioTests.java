package dev.mailtrail.simulator.webhooks;

import static dev.mailtrail.simulator.webhooks.EmailEventType.BOUNCED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.CLICKED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.COMPLAINED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.DELIVERED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.DELIVERY_DELAYED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.FAILED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.OPENED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.SENT;
import static dev.mailtrail.simulator.webhooks.EmailEventType.SUPPRESSED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioTests {

    @ParameterizedTest
    @CsvSource({
        "delivered@resend.dev, DELIVER",
        "bounced@resend.dev, BOUNCE",
        "complained@resend.dev, COMPLAIN",
        "BOUNCED@Resend.Dev, BOUNCE",
        "'Test User <complained@resend.dev>', COMPLAIN",
        "'  \"Bob, Jr\" <Bounced@RESEND.dev>  ', BOUNCE",
        "bounced+run-42@resend.dev, BOUNCE",
        "someone@example.com, DELIVER",
        "bounced@example.com, DELIVER",
        "suppressed@resend.dev, SUPPRESS",
        "opened+x@resend.dev, OPEN",
        "Clicked@resend.dev, CLICK",
        "delayed@resend.dev, DELAY",
        "failed@resend.dev, FAIL",
        "unknown@resend.dev, DELIVER",
        "not-an-address, DELIVER"
    })
    void picksTheScenarioByRecipient(String recipient, Scenario expected) {
        assertThat(Scenario.forRecipient(recipient)).isEqualTo(expected);
    }

    @Test
    void scenariosEmitResendsEventSequences() {
        assertThat(Scenario.DELIVER.events()).containsExactly(SENT, DELIVERED);
        assertThat(Scenario.BOUNCE.events()).containsExactly(SENT, BOUNCED);
        assertThat(Scenario.COMPLAIN.events()).containsExactly(SENT, DELIVERED, COMPLAINED);
        assertThat(Scenario.SUPPRESS.events()).containsExactly(SUPPRESSED);
        assertThat(Scenario.OPEN.events()).containsExactly(SENT, DELIVERED, OPENED);
        assertThat(Scenario.CLICK.events()).containsExactly(SENT, DELIVERED, OPENED, CLICKED);
        assertThat(Scenario.DELAY.events()).containsExactly(SENT, DELIVERY_DELAYED, DELIVERED);
        assertThat(Scenario.FAIL.events()).containsExactly(FAILED);
    }

    @Test
    void wireNamesAndLastEvents() {
        assertThat(SENT.wireName()).isEqualTo("email.sent");
        assertThat(COMPLAINED.wireName()).isEqualTo("email.complained");
        assertThat(BOUNCED.lastEvent()).isEqualTo("bounced");
        assertThat(DELIVERY_DELAYED.wireName()).isEqualTo("email.delivery_delayed");
        assertThat(EmailEventType.ofWireName("email.suppressed")).contains(SUPPRESSED);
        assertThat(EmailEventType.ofWireName("email.teleported")).isEmpty();
    }
}
