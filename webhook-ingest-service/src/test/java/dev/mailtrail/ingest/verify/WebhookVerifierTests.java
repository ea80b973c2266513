package dev.mailtrail.ingest.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import com.svix.Webhook;
import dev.mailtrail.ingest.SignedWebhook;
import org.junit.jupiter.api.Test;

class WebhookVerifierTests {

    static final String REFERENCE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String OTHER_SECRET = "whsec_bm90LXRoZS1yaWdodC1zZWNyZXQtYXQtYWxs";

    @Test
    void signsTheReferenceVector() throws Exception {
        String signature = new Webhook(REFERENCE_SECRET).sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void acceptsAWebhookSignedWithAnyConfiguredSecret() {
        SignedWebhook webhook = SignedWebhook.of("{\"type\":\"email.sent\"}");
        WebhookVerifier rotating = new WebhookVerifier(List.of(OTHER_SECRET, SignedWebhook.DEV_SECRET));

        assertThat(rotating.verify(webhook.bytes(), webhook.headers())).isTrue();
    }

    @Test
    void rejectsATamperedBody() {
        SignedWebhook webhook = SignedWebhook.of("{\"type\":\"email.sent\"}");
        WebhookVerifier verifier = new WebhookVerifier(List.of(SignedWebhook.DEV_SECRET));

        assertThat(verifier.verify("{\"type\":\"email.sent\" }".getBytes(), webhook.headers())).isFalse();
    }

    @Test
    void rejectsAWebhookSignedWithAnotherSecret() {
        SignedWebhook webhook = SignedWebhook.signedWith(OTHER_SECRET, "msg_1", "{}",
                java.time.Instant.now().getEpochSecond());

        assertThat(new WebhookVerifier(List.of(SignedWebhook.DEV_SECRET)).verify(webhook.bytes(), webhook.headers()))
                .isFalse();
    }

    @Test
    void acceptsUnbrandedWebhookHeaders() {
        SignedWebhook webhook = SignedWebhook.of("{}");
        Map<String, List<String>> headers = Map.of("webhook-id", List.of(webhook.svixId()), "webhook-timestamp",
                List.of(Long.toString(webhook.timestamp())), "webhook-signature", List.of(webhook.signature()));

        assertThat(new WebhookVerifier(List.of(SignedWebhook.DEV_SECRET)).verify(webhook.bytes(), headers)).isTrue();
    }

    @Test
    void failsClearlyOnAnEmptyOrNonBase64Secret() {
        assertThatThrownBy(() -> new WebhookVerifier(List.of("whsec_")))
                .hasMessageContaining("empty secret");
        assertThatThrownBy(() -> new WebhookVerifier(List.of("whsec_not*base64!")))
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("not*base64!");
        assertThatThrownBy(() -> new WebhookVerifier(List.of())).hasMessageContaining("empty");
    }
}
