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
        EmailEvent untagged = EmailEvent.builder()
                .schemaVersion(1)
                .eventId("resend:msg_1")
                .type(EmailEventType.DELIVERED)
                .occurredAt(EmailEventMother.T0)
                .source(EventSource.RESEND_WEBHOOK)
                .providerMessageId("em_9")
                .build();
        EmailEvent tenantless = untagged.toBuilder()
                .eventId("resend:msg_2")
                .activityId("act-123")
                .build();

        assertThat(tagged.partitionKey()).isEqualTo(tagged.tenantId() + ":act-123");
        assertThat(untagged.partitionKey()).isEqualTo("resend:em_9");
        // an activity id without its tenant names no activity: the event goes where its email's events go
        assertThat(tenantless.partitionKey()).isEqualTo("resend:em_9");
    }
}
