package dev.mailtrail.ingest.normalize;

import static dev.mailtrail.ingest.SignedWebhook.svixId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.WireText;
import dev.mailtrail.ingest.SignedWebhook;
import dev.mailtrail.ingest.client.Classifiers;
import dev.mailtrail.ingest.client.IpHasher;
import dev.mailtrail.ingest.verify.WebhookId;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ResendEventNormalizerTests {

    static final Instant NOW = Instant.parse("2026-11-26T10:16:00Z");
    final ResendEventNormalizer normalizer =
            new ResendEventNormalizer(new IpHasher("salt"), Classifiers.shared(), Clock.fixed(NOW, ZoneOffset.UTC));

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
        assertThat(event.partitionKey()).isEqualTo("t-1:act-123");
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
    void anActivityTagWithoutATenantTagNamesNoActivity() {
        EmailEvent event = recognized("msg_t", """
                {"type":"email.delivered","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"em_7","to":["a@b.test"],"tags":{"activity_id":"act-1"}}}""");

        // an activity id is unique only within its tenant: the email id tells the projection whose it is
        assertThat(event.activityId()).isNull();
        assertThat(event.tenantId()).isNull();
        assertThat(event.tags()).containsEntry("activity_id", "act-1");
        assertThat(event.partitionKey()).isEqualTo("resend:em_7");
    }

    @Test
    void reportsMissingEnvelopeFieldsAsMalformed() {
        assertThat(normalizer.normalize(svixId("m"), "not json".getBytes()))
                .isInstanceOf(NormalizedWebhook.Malformed.class);
        assertThat(normalizer.normalize(
                        svixId("m"), "{\"created_at\":\"2026-11-26T10:15:31Z\",\"data\":{}}".getBytes()))
                .isInstanceOf(NormalizedWebhook.Malformed.class);
        assertThat(normalizer.normalize(svixId("m"), "{\"type\":\"email.sent\",\"data\":{}}".getBytes()))
                .isInstanceOf(NormalizedWebhook.Malformed.class);
        assertThat(normalizer.normalize(
                        svixId("m"), "{\"type\":\"email.sent\",\"created_at\":\"2026-11-26T10:15:31Z\"}".getBytes()))
                .isInstanceOf(NormalizedWebhook.Malformed.class);
    }

    @Test
    void typesWeDoNotModelAreUnrecognizedNotErrors() {
        assertThat(normalizer.normalize(svixId("m"), """
                {"type":"contact.created","created_at":"2026-11-26T10:15:31Z","data":{"id":"c1"}}""".getBytes()))
                .isEqualTo(new NormalizedWebhook.Unrecognized("contact.created"));
    }

    private EmailEvent recognized(String id, String body) {
        NormalizedWebhook result = normalizer.normalize(svixId(id), body.getBytes());
        assertThat(result).isInstanceOf(NormalizedWebhook.Recognized.class);
        return ((NormalizedWebhook.Recognized) result).event();
    }

    @ParameterizedTest
    @CsvSource({
        "email.sent, sent, 2026-11-26T10:15:30.123Z, em-sent-1",
        "email.scheduled, scheduled, 2026-11-26T10:15:30.100Z, em-sched-1",
        "email.delivered, delivered, 2026-11-26T10:15:31.456Z, 4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
        "email.delivery_delayed, delivery_delayed, 2026-11-26T10:20:00Z, em-delay-1",
        "email.opened, opened, 2026-11-26T11:00:00.500Z, em-open-1",
        "email.clicked, clicked, 2026-11-26T11:00:05Z, em-click-1",
        "email.bounced, bounced, 2024-02-22T23:41:11.894Z, em-bounce-1",
        "email.complained, complained, 2026-11-26T12:00:00Z, em-complain-1",
        "email.failed, failed, 2026-11-26T10:15:30.999Z, em-failed-1",
        "email.suppressed, suppressed, 2026-11-26T10:15:30.500Z, em-supp-1"
    })
    void normalisesEveryOutboundEmailType(String fixture, String type, Instant occurredAt, String emailId) {
        EmailEvent event = recognized("msg_" + fixture, SignedWebhook.read(fixture));

        assertThat(event.type().wire()).isEqualTo(type);
        assertThat(event.occurredAt()).isEqualTo(occurredAt);
        assertThat(event.providerMessageId()).isEqualTo(emailId);
        assertThat(event.activityId()).isEqualTo("act-123");
        assertThat(event.tenantId()).isEqualTo("t-1");
        assertThat(event.eventId()).isEqualTo("resend:msg_" + fixture);
    }

    @Test
    void aBounceCarriesItsDetailsAndPermanentMeansHard() {
        EmailEvent event = recognized("m", SignedWebhook.read("email.bounced"));

        assertThat(event.bounce())
                .isEqualTo(new EmailEvent.Bounce(
                        "Permanent", "Suppressed", "The recipient's email address does not exist.", true));
    }

    @Test
    void aClickCarriesTheLinkAndAHashedIpButNeverTheIp() {
        EmailEvent event = recognized("m", SignedWebhook.read("email.clicked"));

        assertThat(event.click().url()).isEqualTo("https://acme.test/pricing?plan=pro");
        assertThat(event.client().userAgent()).startsWith("Mozilla/5.0 (Macintosh");
        assertThat(event.client().ipHash())
                .isEqualTo(new IpHasher("salt").hash("203.0.113.7"))
                .doesNotContain("203.0.113.7");
        assertThat(event.client().classification()).isEqualTo(Classification.HUMAN);
    }

    @Test
    void resendOpensAreUnknownClass() {
        assertThat(recognized("m", SignedWebhook.read("email.opened")).classification())
                .isEqualTo(Classification.UNKNOWN);
    }

    @Test
    void failuresAndSuppressionsCarryTheirReason() {
        assertThat(recognized("m", SignedWebhook.read("email.failed")).failure().reason())
                .isEqualTo("reached_daily_quota");
        assertThat(recognized("m", SignedWebhook.read("email.suppressed"))
                        .failure()
                        .reason())
                .isEqualTo("bounced previously");
    }

    @Test
    void inboundMailBecomesAnInboundEventOfNoActivityKeyedByTheInboundEmail() {
        EmailEvent event = recognized("m", SignedWebhook.read("email.received"));

        assertThat(event.type()).isEqualTo(EmailEventType.INBOUND_RECEIVED);
        assertThat(event.activityKey()).isNull();
        assertThat(event.providerMessageId()).isEqualTo("in-1");
        assertThat(event.partitionKey()).isEqualTo("resend:in-1");
        assertThat(event.recipients()).containsExactly("inbox@acme.test");
        assertThat(event.messageId()).isEqualTo("<r-1@prospect.test>");
    }

    @Test
    void inboundMailsTextIsCleanedAndItsIdsChecked() {
        EmailEvent event = recognized("m", """
                {"type":"email.received","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"in-2","to":["a\\u0000b@acme.test"],"subject":"x\\u0007y",
                         "message_id":"<%s@x>"}}""".formatted("m".repeat(2000)));

        assertThat(event.recipients()).containsExactly("a\uFFFDb@acme.test");
        assertThat(event.subject()).isEqualTo("x\uFFFDy");
        assertThat(event.messageId()).hasSize(WireText.MESSAGE_ID_MAX);
        assertThat(normalizer.normalize(
                        svixId("m"), """
                        {"type":"email.received","created_at":"2026-11-26T10:15:31.456Z",
                         "data":{"email_id":"%s"}}""".formatted("i".repeat(129)).getBytes()))
                .isInstanceOf(NormalizedWebhook.Invalid.class);
    }

    @Test
    void outboundEventsCarryTheEmailsMessageId() {
        EmailEvent event = recognized("m", """
                {"type":"email.delivered","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"em_1","message_id":"<em_1@resend.test>"}}""");

        assertThat(event.messageId()).isEqualTo("<em_1@resend.test>");
    }

    @Test
    void anInvalidActivityTagIsIgnoredRatherThanTrusted() {
        EmailEvent event = recognized("m", """
                {"type":"email.sent","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"em_1","tags":{"activity_id":"has spaces/and slashes"}}}""");

        assertThat(event.activityId()).isNull();
    }

    @Test
    void providerTextIsCleanedAndCappedNeverRefused() {
        String body = """
                {"type":"email.clicked","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"em_dirty","to":["a\\u0000b@x.test","%s"],"subject":"Hi\\u0000there\\ud800",
                  "tags":{"camp\\u0001aign":"q\\udc004"},
                  "click":{"link":"https://acme.test/\\u0000x","userAgent":"Mozilla/5.0\\u0007 %s","ipAddress":"203.0.113.7"},
                  "bounce":{"type":"Perm\\u0000anent","subType":"%s","message":"%s"}}}""".formatted("r".repeat(400), "u".repeat(600), "s".repeat(300), "m".repeat(1200));

        EmailEvent event = recognized("msg_dirty", body);

        assertThat(event.subject()).isEqualTo("Hi\uFFFDthere\uFFFD");
        assertThat(event.recipients()).containsExactly("a\uFFFDb@x.test", "r".repeat(WireText.ADDRESS_MAX));
        assertThat(event.tags()).containsEntry("camp\uFFFDaign", "q\uFFFD4");
        assertThat(event.click().url()).isEqualTo("https://acme.test/\uFFFDx");
        assertThat(event.client().userAgent()).startsWith("Mozilla/5.0\uFFFD u").hasSize(WireText.USER_AGENT_MAX);
        assertThat(event.bounce())
                .isEqualTo(new EmailEvent.Bounce(
                        "Perm\uFFFDanent", "s".repeat(WireText.LABEL_MAX), "m".repeat(WireText.MESSAGE_MAX), false));
    }

    @Test
    void aFailureReasonIsCleanedAndCapped() {
        EmailEvent event = recognized("m", """
                {"type":"email.failed","created_at":"2026-11-26T10:15:31.456Z",
                 "data":{"email_id":"em_1","failed":{"reason":"quota\\u0000%s"}}}""".formatted("x".repeat(2000)));

        assertThat(event.failure().reason()).startsWith("quota\uFFFDx").hasSize(WireText.MESSAGE_MAX);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0001-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999Z",
                "+99999-01-01T00:00:00Z",
                "99999-01-01T00:00:00Z",
                "yesterday",
                "2026-13-45T99:00:00Z"
            })
    void aTimestampOutsideTheWireYearsOrUnreadableIsTheTimeReceived(String createdAt) {
        EmailEvent event = recognized("m", """
                {"type":"email.sent","created_at":"%s","data":{"email_id":"em_1"}}""".formatted(createdAt));

        assertThat(event.occurredAt()).isEqualTo(NOW).isEqualTo(event.receivedAt());
    }

    @ParameterizedTest
    @CsvSource({"1970-01-01T00:00:00Z", "9999-12-31T23:59:59.999Z", "2024-02-22T23:41:11.894719+00:00"})
    void aTimestampWithinTheWireYearsIsKept(String createdAt) {
        EmailEvent event = recognized("m", """
                {"type":"email.sent","created_at":"%s","data":{"email_id":"em_1"}}""".formatted(createdAt));

        assertThat(event.occurredAt())
                .isEqualTo(OffsetDateTime.parse(createdAt).toInstant().truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void anIdThatCannotBeOursIsInvalidNamingIt() {
        String delivered = SignedWebhook.read("email.delivered");
        String longId = "m".repeat(WireText.PROVIDER_ID_MAX + 1);

        assertThat(normalizer.normalize(svixId(longId), delivered.getBytes()))
                .isEqualTo(
                        new NormalizedWebhook.Invalid("email.delivered", "svix-id", "must be at most 128 characters"));
        // the problem names the header the id was verified under
        assertThat(normalizer.normalize(new WebhookId("webhook-id", longId), delivered.getBytes()))
                .isEqualTo(new NormalizedWebhook.Invalid(
                        "email.delivered", "webhook-id", "must be at most 128 characters"));
        assertThat(normalizer.normalize(svixId("msg\u0000x"), delivered.getBytes()))
                .isEqualTo(new NormalizedWebhook.Invalid(
                        "email.delivered", "svix-id", "must not contain control characters or unpaired surrogates"));
        assertThat(normalizer.normalize(
                        svixId("m"),
                        delivered
                                .replace("4ef9a417-02e9-4d39-ad75-9611e0fcc33c", longId)
                                .getBytes()))
                .isEqualTo(new NormalizedWebhook.Invalid(
                        "email.delivered", "data.email_id", "must be at most 128 characters"));
        assertThat(normalizer.normalize(svixId("m"), """
                {"type":"email.sent","created_at":"2026-11-26T10:15:31Z","data":{"email_id":"em\\ud800"}}""".getBytes())).isInstanceOf(NormalizedWebhook.Invalid.class);
        // a verified type we do not model is kept raw under its svix-id: the same rule
        assertThat(normalizer.normalize(
                        svixId(longId), SignedWebhook.read("contact.created").getBytes()))
                .isInstanceOf(NormalizedWebhook.Invalid.class);
    }

    @Test
    void anIdAtTheLimitIsKept() {
        String id = "m".repeat(WireText.PROVIDER_ID_MAX);

        assertThat(recognized(id, SignedWebhook.read("email.delivered")).eventId())
                .isEqualTo("resend:" + id);
    }
}
