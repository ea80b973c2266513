package dev.mailtrail.ingest.warmup;

import com.svix.Webhook;
import com.svix.exceptions.EmptyWebhookSecretException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Signed webhooks of every Resend email type in Resend's shapes (both tag forms), for the warm-up only: made-up
 * ids and reserved example addresses, never published.
 */
final class SyntheticWebhooks {

    /** A signed request as the verifier reads it. */
    record Signed(byte[] body, Map<String, List<String>> headers) {}

    private static final List<String> TYPES = List.of(
            "email.sent",
            "email.delivered",
            "email.opened",
            "email.clicked",
            "email.delivery_delayed",
            "email.bounced",
            "email.complained",
            "email.failed",
            "email.scheduled",
            "email.suppressed");

    private static final String CLICK =
            ",\"click\":{\"ipAddress\":\"192.0.2.%d\",\"link\":\"https://example.com/p?i=%d\","
                    + "\"timestamp\":\"2026-11-26T11:00:05.000Z\",\"userAgent\":\"%s\"}";
    private static final String BOUNCE = ",\"bounce\":{\"diagnosticCode\":[\"smtp; 550 5.1.1 user unknown\"],"
            + "\"message\":\"The recipient's email address does not exist.\",\"subType\":\"Suppressed\","
            + "\"type\":\"Permanent\"}";
    private static final String FAILED = ",\"failed\":{\"reason\":\"reached_daily_quota\"}";

    private final Webhook signer;

    SyntheticWebhooks(String secret) {
        try {
            this.signer = new Webhook(secret);
        } catch (EmptyWebhookSecretException e) {
            // WebhookVerifier refuses to start with one already; never echo the secret
            throw new IllegalStateException("the warm-up needs a webhook secret");
        }
    }

    /** i, or the next index whose webhook is not a click (a click's agent is classified). */
    int withoutClick(int i) {
        return TYPES.get(i % TYPES.size()).equals("email.clicked") ? i + 1 : i;
    }

    /** The i-th webhook: types, tag forms and ids vary with i, signed at {@code timestamp} (epoch seconds). */
    Signed signed(int i, long timestamp, String userAgent) {
        String type = TYPES.get(i % TYPES.size());
        String tags = i % 2 == 0
                ? "{\"activity_id\":\"warmup-" + i + "\",\"tenant_id\":\"warmup\"}"
                : "[{\"name\":\"activity_id\",\"value\":\"warmup-" + i
                        + "\"},{\"name\":\"tenant_id\",\"value\":\"warmup\"}]";
        String extra = switch (type) {
            case "email.clicked" -> String.format(CLICK, i % 250, i, userAgent.replace("\"", ""));
            case "email.bounced" -> BOUNCE;
            case "email.failed" -> FAILED;
            default -> "";
        };
        String body = "{\"type\":\"" + type + "\",\"created_at\":\"2026-11-26T11:00:00.5+00:00\",\"data\":{"
                + "\"broadcast_id\":null,\"created_at\":\"2026-11-26T10:15:29.000Z\",\"email_id\":\"warmup-" + i
                + "\",\"from\":\"Warm-up <warmup@example.com>\",\"to\":[\"warmup@example.com\"],"
                + "\"subject\":\"Warm-up " + i + "\",\"tags\":" + tags + extra + "}}";
        String id = "msg_warmup_" + i;
        try {
            String signature = signer.sign(id, timestamp, body);
            return new Signed(
                    body.getBytes(StandardCharsets.UTF_8),
                    Map.of(
                            "svix-id",
                            List.of(id),
                            "svix-timestamp",
                            List.of(Long.toString(timestamp)),
                            "svix-signature",
                            List.of(signature)));
        } catch (Exception e) {
            throw new IllegalStateException("the warm-up could not sign its webhook", e);
        }
    }
}
