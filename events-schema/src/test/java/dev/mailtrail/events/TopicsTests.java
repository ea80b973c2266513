package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TopicsTests {

    @Test
    void deadLettersUseSpringKafkasSuffix() {
        assertThat(Topics.EVENTS_DLT).isEqualTo("crm.email.events-dlt");
        assertThat(Topics.SEND_COMMANDS_DLT).isEqualTo("crm.email.send-commands-dlt");
    }

    @Test
    void eventsArePartitionedByActivityKeyElseByProviderMessage() {
        EmailEvent tagged = EmailEventMother.of(EmailEventType.DELIVERED);
        EmailEvent untagged = new EmailEvent(1, "resend:msg_1", EmailEventType.DELIVERED, EmailEventMother.T0, null,
                EventSource.RESEND_WEBHOOK, null, null, "em_9", null, null, null, null, null, null, null);

        EmailEvent tenantless = new EmailEvent(1, "resend:msg_2", EmailEventType.DELIVERED, EmailEventMother.T0, null,
                EventSource.RESEND_WEBHOOK, "act-123", null, "em_9", null, null, null, null, null, null, null);

        assertThat(tagged.partitionKey()).isEqualTo(tagged.tenantId() + ":act-123");
        assertThat(untagged.partitionKey()).isEqualTo("resend:em_9");
        // an activity id without its tenant names no activity: the event goes where its email's events go
        assertThat(tenantless.partitionKey()).isEqualTo("resend:em_9");
    }
}
