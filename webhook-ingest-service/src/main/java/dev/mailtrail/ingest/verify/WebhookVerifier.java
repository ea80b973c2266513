package dev.mailtrail.ingest.verify;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.svix.Webhook;
import com.svix.exceptions.EmptyWebhookSecretException;
import com.svix.exceptions.WebhookVerificationException;
import dev.mailtrail.ingest.IngestProperties;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Svix signature check over the raw body bytes, against every configured secret in turn. svix reads
 * {@code svix-*} headers and falls back to {@code webhook-*}, case-insensitively, with a ±300 s window.
 */
@Component
public class WebhookVerifier {

    private final List<Webhook> webhooks;

    @Autowired
    public WebhookVerifier(IngestProperties properties) {
        this(properties.webhookSecrets());
    }

    WebhookVerifier(List<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalStateException("MAILTRAIL_RESEND_WEBHOOK_SECRETS is empty: set at least one whsec_ secret");
        }
        this.webhooks = secrets.stream().map(String::trim).map(WebhookVerifier::webhook).toList();
    }

    private static Webhook webhook(String secret) {
        try {
            return new Webhook(secret);
        }
        catch (EmptyWebhookSecretException e) {
            throw new IllegalStateException("MAILTRAIL_RESEND_WEBHOOK_SECRETS contains an empty secret");
        }
        catch (IllegalArgumentException e) {
            // never echo the secret itself
            throw new IllegalStateException("MAILTRAIL_RESEND_WEBHOOK_SECRETS contains a secret that is not base64 "
                    + "(expected whsec_<base64>)");
        }
    }

    /** True when any secret verifies; which one, or what was expected, is never told. */
    public boolean verify(byte[] rawBody, Map<String, List<String>> headers) {
        String payload = new String(rawBody, StandardCharsets.UTF_8);
        for (Webhook webhook : webhooks) {
            try {
                webhook.verify(payload, headers);
                return true;
            }
            catch (WebhookVerificationException | RuntimeException e) {
                // a malformed header (e.g. a non-numeric timestamp) is as invalid as a wrong signature
            }
        }
        return false;
    }
}
