package dev.mailtrail.simulator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.svix.Webhook;
import dev.mailtrail.simulator.store.SentEmail;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ResendWebhookPayloadsTests {

    static final String DEV_SECRET = "whsec_bWFpbHRyYWlsLWxvY2FsLWRldi1zZWNyZXQ=";

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final ResendWebhookPayloads payloads = new ResendWebhookPayloads(mapper);

    private final SentEmail email = new SentEmail(
            "4ef9a417-02e9-4d39-ad75-9611e0fcc33c",
            Instant.parse("2024-02-22T23:41:11.894719Z"),
            "Acme <onboarding@acme.test>",
            List.of("bounced@resend.dev"),
            null,
            null,
            null,
            "Hello é",
            "<p>hi</p>",
            null,
            Map.of(),
            List.of(new SentEmail.Tag("activity_id", "act_1"), new SentEmail.Tag("tenant_id", "t-9")),
            null,
            Map.of(),
            null,
            "queued");

    @Test
    void envelopeHasResendsShape() {
        JsonNode json = mapper.readTree(
                payloads.envelope(email, EmailEventType.SENT, Instant.parse("2024-02-22T23:41:12.126456Z")));

        assertThat(json.propertyNames()).containsExactly("type", "created_at", "data");
        assertThat(json.get("type").asString()).isEqualTo("email.sent");
        assertThat(json.get("created_at").asString()).isEqualTo("2024-02-22T23:41:12.126Z");
        JsonNode data = json.get("data");
        assertThat(data.get("email_id").asString()).isEqualTo(email.id());
        assertThat(data.get("created_at").asString()).isEqualTo("2024-02-22T23:41:11.894719+00:00");
        assertThat(data.get("from").asString()).isEqualTo("Acme <onboarding@acme.test>");
        assertThat(data.get("to").isArray()).isTrue();
        assertThat(data.get("to").get(0).asString()).isEqualTo("bounced@resend.dev");
        assertThat(data.get("subject").asString()).isEqualTo("Hello é");
        assertThat(data.get("tags").isObject()).isTrue();
        assertThat(data.get("tags").get("activity_id").asString()).isEqualTo("act_1");
        assertThat(data.get("tags").get("tenant_id").asString()).isEqualTo("t-9");
        assertThat(data.has("bounce")).isFalse();
    }

    @Test
    void bouncedCarriesAPermanentBounce() {
        JsonNode bounce = mapper.readTree(payloads.envelope(email, EmailEventType.BOUNCED, Instant.now()))
                .get("data")
                .get("bounce");

        assertThat(bounce.get("type").asString()).isEqualTo("Permanent");
        assertThat(bounce.get("subType").asString()).isEqualTo("General");
        assertThat(bounce.get("message").asString()).isNotBlank();
    }

    @Test
    void clickedCarriesResendsCamelCaseClickOnTheFirstLink() {
        Instant at = Instant.parse("2024-02-22T23:41:13.5Z");
        JsonNode click = mapper.readTree(payloads.envelope(email, EmailEventType.CLICKED, at))
                .get("data")
                .get("click");

        assertThat(click.propertyNames()).containsExactly("ipAddress", "link", "timestamp", "userAgent");
        assertThat(click.get("link").asString()).isEqualTo(ResendWebhookPayloads.DEFAULT_LINK);
        assertThat(click.get("timestamp").asString()).isEqualTo("2024-02-22T23:41:13.500Z");
        assertThat(click.get("ipAddress").asString()).isEqualTo(ResendWebhookPayloads.CLICK_IP);
        assertThat(click.get("userAgent").asString()).startsWith("Mozilla/5.0");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '~',
            value = {
                "<a href=\"https://a.test/x?y=1&amp;z=2\">x</a> <a href=\"https://b.test/\">b</a> | https://a.test/x?y=1&z=2",
                "<A HREF='http://a.test/p'>x</A>                                                   | http://a.test/p",
                "<a href=https://a.test/bare>x</a>                                                 | https://a.test/bare",
                "<a href=\"mailto:x@y.test\">m</a><a href=\"https://c.test\">c</a>             | https://c.test",
                "<p>no links, https://not-a-link.test</p>                                          | https://example.com/"
            })
    void theClickedLinkIsTheFirstHttpLink(String html, String link) {
        assertThat(ResendWebhookPayloads.firstLink(html)).isEqualTo(link);
    }

    @Test
    void failedAndSuppressedCarryTheirDetails() {
        JsonNode failed = mapper.readTree(payloads.envelope(email, EmailEventType.FAILED, Instant.now()))
                .get("data");
        JsonNode suppressed = mapper.readTree(payloads.envelope(email, EmailEventType.SUPPRESSED, Instant.now()))
                .get("data");

        assertThat(failed.get("failed").get("reason").asString()).isEqualTo("reached_daily_quota");
        assertThat(suppressed.get("suppressed").get("type").asString()).isEqualTo("OnAccountSuppressionList");
        assertThat(suppressed.get("suppressed").get("message").asString()).contains("suppression list");
        assertThat(failed.has("bounce") || suppressed.has("failed")).isFalse();
    }

    @Test
    void givenDetailsReplaceTheDefaults() {
        JsonNode bounce = mapper.readTree("{\"type\":\"Transient\",\"subType\":\"MailboxFull\",\"message\":\"full\"}");

        assertThat(mapper.readTree(payloads.envelope(email, EmailEventType.BOUNCED, Instant.now(), bounce))
                        .get("data")
                        .get("bounce"))
                .isEqualTo(bounce);
    }

    @Test
    void emailWithoutTagsHasNoTagsField() {
        SentEmail untagged = new SentEmail(
                "id",
                Instant.now(),
                "a@b.test",
                List.of("c@d.test"),
                null,
                null,
                null,
                "s",
                null,
                "t",
                null,
                null,
                null,
                null,
                null,
                "queued");

        assertThat(mapper.readTree(payloads.envelope(untagged, EmailEventType.DELIVERED, Instant.now()))
                        .get("data")
                        .has("tags"))
                .isFalse();
    }

    @Test
    void signatureVerifiesWithSvix() throws Exception {
        String body = payloads.envelope(email, EmailEventType.DELIVERED, Instant.now());
        String id = SvixMessageIds.next();
        long timestamp = Instant.now().getEpochSecond();

        String signature = new WebhookSigner(DEV_SECRET).sign(id, timestamp, body);

        new Webhook(DEV_SECRET)
                .verify(
                        body,
                        Map.of(
                                "svix-id",
                                List.of(id),
                                "svix-timestamp",
                                List.of(Long.toString(timestamp)),
                                "svix-signature",
                                List.of(signature)));
        assertThat(signature).startsWith("v1,");
    }

    @Test
    void signerMatchesSvixsPublishedVector() {
        String signature = new WebhookSigner("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                .sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330L, "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void badSecretFailsClearlyWithoutEchoingIt() {
        assertThatThrownBy(() -> new WebhookSigner("whsec_not*base64!"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("MAILTRAIL_RESEND_WEBHOOK_SECRETS")
                .hasMessageNotContaining("not*base64");
        assertThatThrownBy(() -> new WebhookSigner("")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void svixMessageIdsLookLikeSvixs() {
        assertThat(SvixMessageIds.next()).matches("msg_[A-Za-z0-9]{27}");
        assertThat(SvixMessageIds.next()).isNotEqualTo(SvixMessageIds.next());
    }
}
