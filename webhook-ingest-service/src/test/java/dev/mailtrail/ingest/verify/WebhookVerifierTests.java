package dev.mailtrail.ingest.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.svix.Webhook;
import dev.mailtrail.ingest.SignedWebhook;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookVerifierTests {

    static final String REFERENCE_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String OTHER_SECRET = "whsec_bm90LXRoZS1yaWdodC1zZWNyZXQtYXQtYWxs";
    static final String BODY = "{\"type\":\"email.sent\",\"created_at\":\"2026-11-26T10:00:00Z\",\"data\":{}}";

    final WebhookVerifier verifier = new WebhookVerifier(List.of(SignedWebhook.DEV_SECRET), Clock.systemUTC());

    @Test
    void signsTheReferenceVector() throws Exception {
        String signature = new Webhook(REFERENCE_SECRET)
                .sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}");

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void acceptsAFreshlySignedWebhook() {
        SignedWebhook webhook = SignedWebhook.of(BODY);

        assertThat(verifier.verify(webhook.bytes(), webhook.headers())).isPresent();
    }

    @Test
    void acceptsAWebhookSignedWithAnyConfiguredSecret() {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        WebhookVerifier rotating =
                new WebhookVerifier(List.of(OTHER_SECRET, SignedWebhook.DEV_SECRET), Clock.systemUTC());

        assertThat(rotating.verify(webhook.bytes(), webhook.headers())).isPresent();
    }

    @Test
    void theIdComesFromTheFamilyThatWasVerified() {
        SignedWebhook webhook = SignedWebhook.of(BODY);

        assertThat(verifier.verify(webhook.bytes(), webhook.headers()))
                .contains(new WebhookId("svix-id", webhook.svixId()));
        assertThat(verifier.verify(webhook.bytes(), webhook.standardHeaders()))
                .contains(new WebhookId("webhook-id", webhook.svixId()));
    }

    @Test
    void anUnsignedSvixIdBesideVerifiedStandardHeadersIsNotTheId() {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        Map<String, List<String>> headers = new HashMap<>(webhook.standardHeaders());
        headers.put("svix-id", List.of("msg_chosen_by_the_sender"));
        headers.put("svix-timestamp", List.of(Long.toString(webhook.timestamp())));

        assertThat(verifier.verify(webhook.bytes(), headers)).contains(new WebhookId("webhook-id", webhook.svixId()));
    }

    @Test
    void aCompleteSvixFamilyIsTheOneCheckedAsSvixWouldChooseIt() {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        SignedWebhook other = SignedWebhook.of(BODY);
        Map<String, List<String>> headers = new HashMap<>(webhook.standardHeaders());
        // a whole svix family signed for another id does not borrow the standard family's signature
        headers.putAll(Map.of(
                "svix-id",
                List.of("msg_forged"),
                "svix-timestamp",
                List.of(Long.toString(other.timestamp())),
                "svix-signature",
                List.of(other.signature())));

        assertThat(verifier.verify(webhook.bytes(), headers)).isEmpty();
    }

    @Test
    void headerNamesAreReadInAnyCase() {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        Map<String, List<String>> headers = new HashMap<>();
        webhook.headers().forEach((name, value) -> headers.put(name.toUpperCase(java.util.Locale.ROOT), value));

        assertThat(verifier.verify(webhook.bytes(), headers)).contains(new WebhookId("svix-id", webhook.svixId()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"svix-id", "svix-timestamp", "svix-signature"})
    void rejectsAWebhookMissingAHeader(String header) {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        Map<String, List<String>> headers = new HashMap<>(webhook.headers());
        headers.remove(header);

        assertThat(verifier.verify(webhook.bytes(), headers)).isEmpty();
    }

    @Test
    void rejectsANonNumericTimestamp() {
        SignedWebhook webhook = SignedWebhook.of(BODY);

        assertThat(verifier.verify(webhook.bytes(), with(webhook, "svix-timestamp", "yesterday")))
                .isEmpty();
    }

    @Test
    void rejectsStaleAndFutureTimestamps() {
        long now = Instant.now().getEpochSecond();
        SignedWebhook stale = SignedWebhook.signedWith(SignedWebhook.DEV_SECRET, "msg_stale", BODY, now - 301);
        SignedWebhook future = SignedWebhook.signedWith(SignedWebhook.DEV_SECRET, "msg_future", BODY, now + 301);

        assertThat(verifier.verify(stale.bytes(), stale.headers())).isEmpty();
        assertThat(verifier.verify(future.bytes(), future.headers())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1,", "v2,", "no-comma-at-all", "v1,AAAA", ""})
    void rejectsBrokenSignatureHeaders(String signature) {
        SignedWebhook webhook = SignedWebhook.of(BODY);

        assertThat(verifier.verify(webhook.bytes(), with(webhook, "svix-signature", signature)))
                .isEmpty();
    }

    @Test
    void rejectsATruncatedSignatureAndASignatureUnderAnotherVersion() {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        String valid = webhook.signature();

        assertThat(verifier.verify(
                        webhook.bytes(), with(webhook, "svix-signature", valid.substring(0, valid.length() - 4))))
                .isEmpty();
        assertThat(verifier.verify(webhook.bytes(), with(webhook, "svix-signature", valid.replace("v1,", "v2,"))))
                .isEmpty();
    }

    @Test
    void severalEntriesPassWhenAnyIsRightAndFailWhenAllAreWrong() {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        String wrong = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

        assertThat(verifier.verify(webhook.bytes(), with(webhook, "svix-signature", wrong + " " + webhook.signature())))
                .isPresent();
        assertThat(verifier.verify(webhook.bytes(), with(webhook, "svix-signature", wrong + " v1,bm9wZQ== " + wrong)))
                .isEmpty();
    }

    @Test
    void rejectsATamperedBodyOrATimestampChangedAfterSigning() {
        SignedWebhook webhook = SignedWebhook.of(BODY);

        assertThat(verifier.verify(BODY.replace("sent", "bounced").getBytes(), webhook.headers()))
                .isEmpty();
        assertThat(verifier.verify(
                        webhook.bytes(), with(webhook, "svix-timestamp", Long.toString(webhook.timestamp() - 1))))
                .isEmpty();
    }

    @Test
    void rejectsAWebhookSignedWithAnotherSecret() {
        SignedWebhook webhook = SignedWebhook.signedWith(
                OTHER_SECRET, "msg_1", BODY, Instant.now().getEpochSecond());

        assertThat(verifier.verify(webhook.bytes(), webhook.headers())).isEmpty();
    }

    @Test
    void failsClearlyOnAnEmptyOrNonBase64SecretWithoutEchoingIt() {
        assertThatThrownBy(() -> new WebhookVerifier(List.of("whsec_"), Clock.systemUTC()))
                .hasMessageContaining("empty secret");
        assertThatThrownBy(() -> new WebhookVerifier(List.of(""), Clock.systemUTC()))
                .hasMessageContaining("empty secret");
        assertThatThrownBy(() -> new WebhookVerifier(List.of("whsec_not*base64!"), Clock.systemUTC()))
                .hasMessageContaining("not base64")
                .hasMessageNotContaining("not*base64!");
        assertThatThrownBy(() -> new WebhookVerifier(List.of(), Clock.systemUTC()))
                .hasMessageContaining("empty");
    }

    static Map<String, List<String>> with(SignedWebhook webhook, String header, String value) {
        Map<String, List<String>> headers = new HashMap<>(webhook.headers());
        headers.put(header, List.of(value));
        return headers;
    }
}
