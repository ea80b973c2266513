package dev.mailtrail.simulator.webhooks;

import com.svix.Webhook;
import com.svix.exceptions.EmptyWebhookSecretException;
import com.svix.exceptions.WebhookSigningException;

/** Signs webhook bodies the way Svix does for Resend ({@code v1,<base64 HMAC-SHA256>}). */
public class WebhookSigner {

    private final Webhook webhook;

    /** Fails fast (without echoing the secret) when it is empty or not {@code whsec_<base64>}. */
    public WebhookSigner(String secret) {
        try {
            this.webhook = new Webhook(secret);
        } catch (EmptyWebhookSecretException | IllegalArgumentException e) {
            throw new IllegalStateException("The first secret of MAILTRAIL_RESEND_WEBHOOK_SECRETS "
                    + "(mailtrail.simulator.webhook-secrets) is empty or not whsec_<base64>");
        }
    }

    /** The {@code svix-signature} header value for this message id, timestamp (epoch seconds) and exact body. */
    public String sign(String svixId, long timestampSeconds, String payload) {
        try {
            return webhook.sign(svixId, timestampSeconds, payload);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("Could not sign webhook " + svixId, e);
        }
    }
}
