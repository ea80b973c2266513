package dev.mailtrail.ingest;

import com.svix.Webhook;
import dev.mailtrail.fixtures.ResendWebhooks;
import dev.mailtrail.ingest.verify.WebhookId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A webhook as Resend would send it: a raw fixture body, signed now with the dev secret. */
public record SignedWebhook(String svixId, long timestamp, String body, String signature) {

    public static final String DEV_SECRET = "whsec_bWFpbHRyYWlsLWxvY2FsLWRldi1zZWNyZXQ=";

    public static SignedWebhook fixture(String name) {
        return of(read(name));
    }

    public static SignedWebhook of(String body) {
        return signedWith(
                DEV_SECRET,
                "msg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 27),
                body,
                Instant.now().getEpochSecond());
    }

    public static SignedWebhook signedWith(String secret, String svixId, String body, long timestamp) {
        try {
            return new SignedWebhook(svixId, timestamp, body, new Webhook(secret).sign(svixId, timestamp, body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An id as the verifier hands it on when the {@code svix-*} family was verified. */
    public static WebhookId svixId(String value) {
        return new WebhookId("svix-id", value);
    }

    public Map<String, List<String>> headers() {
        return headers("svix-");
    }

    /** The same signature under the Standard Webhooks names ({@code webhook-id}, …), which svix also verifies. */
    public Map<String, List<String>> standardHeaders() {
        return headers("webhook-");
    }

    private Map<String, List<String>> headers(String prefix) {
        return Map.of(
                prefix + "id",
                List.of(svixId),
                prefix + "timestamp",
                List.of(Long.toString(timestamp)),
                prefix + "signature",
                List.of(signature));
    }

    public byte[] bytes() {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    public static String read(String name) {
        return ResendWebhooks.read(name);
    }
}
