package dev.mailtrail.ingest.normalize;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.ingest.SignedWebhook;
import org.junit.jupiter.api.Test;

class ResendEventNormalizerTests {

    static final Instant NOW = Instant.parse("2026-11-26T10:16:00Z");
    final ResendEventNormalizer normalizer =
            new ResendEventNormalizer(new IpHasher("salt"), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void normalisesADeliveredWebhookWithObjectTags() {
        EmailEvent event = recognized("msg_a", SignedWebhook.read("email.delivered"));

        assertThat(event.eventId()).isEqualTo("resend:msg_a");
        assertThat(event.type()).isEqualTo(EmailEventType.DELIVERED);
        assertThat(event.source()).isEqualTo(EventSource.RESEND_WEBHOOK);
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-26T10:15:31.456Z"));
        assertThat(event.receivedAt()).isEqualTo(NOW);
        assertThat(event.activityId()).isEqualTo("act-123");
        assertThat(event.tenantId()).isEqualTo("t-1");
        assertThat(event.providerMessageId()).isEqualTo("4ef9a417-02e9-4d39-ad75-9611e0fcc33c");
        assertThat(event.recipients()).containsExactly("delivered@resend.dev");
        assertThat(event.tags()).containsEntry("campaign", "q4");
        assertThat(event.partitionKey()).isEqualTo("act-123");
    }

    @Test
    void normalisesTagArraysAndOffsetTimestamps() {
        EmailEvent event = recognized("msg_b", SignedWebhook.read("email.delivered.tag-array"));

        assertThat(event.activityId()).isEqualTo("act-456");
        assertThat(event.tenantId()).isEqualTo("t-2");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2024-02-22T23:41:11.894Z"));
    }

    @Test
    void withoutAnActivityTagTheEventIsKeyedByResendsEmailId() {
        EmailEvent event = recognized("msg_c", """
                {"type":"email.sent","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"em_1","to":["x@y.test"],"subject":"s","created_at":"2026-11-26T10:15:31.456Z"}}""");

        assertThat(event.activityId()).isNull();
        assertThat(event.partitionKey()).isEqualTo("resend:em_1");
    }

    @Test
    void reportsMissingEnvelopeFieldsAsMalformed() {
        assertThat(normalizer.normalize("m", "not json".getBytes())).isInstanceOf(NormalizedWebhook.Malformed.class);
        assertThat(normalizer.normalize("m", "{\"created_at\":\"2026-11-26T10:15:31Z\",\"data\":{}}".getBytes()))
                .isInstanceOf(NormalizedWebhook.Malformed.class);
        assertThat(normalizer.normalize("m", "{\"type\":\"email.sent\",\"data\":{}}".getBytes()))
                .isInstanceOf(NormalizedWebhook.Malformed.class);
        assertThat(normalizer.normalize("m", "{\"type\":\"email.sent\",\"created_at\":\"2026-11-26T10:15:31Z\"}"
                .getBytes())).isInstanceOf(NormalizedWebhook.Malformed.class);
    }

    @Test
    void typesWeDoNotModelAreUnrecognizedNotErrors() {
        assertThat(normalizer.normalize("m", """
                {"type":"contact.created","created_at":"2026-11-26T10:15:31Z","data":{"id":"c1"}}""".getBytes()))
                .isEqualTo(new NormalizedWebhook.Unrecognized("contact.created"));
    }

    private EmailEvent recognized(String svixId, String body) {
        NormalizedWebhook result = normalizer.normalize(svixId, body.getBytes());
        assertThat(result).isInstanceOf(NormalizedWebhook.Recognized.class);
        return ((NormalizedWebhook.Recognized) result).event();
    }
}
