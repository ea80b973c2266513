package dev.mailtrail.ingest.verify;

import com.svix.Webhook;
import com.svix.exceptions.EmptyWebhookSecretException;
import com.svix.exceptions.WebhookVerificationException;
import dev.mailtrail.ingest.IngestProperties;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Svix signature check over the raw body bytes, against every configured secret in turn, with svix's ±300 s
 * window. Of the two header families svix reads, {@code svix-*} when all three are there, else {@code webhook-*}
 * (its own precedence), only the chosen family is handed to it, so the id returned is the one the signature
 * covers: a request signed under {@code webhook-*} cannot bring its event id in an unsigned {@code svix-id}.
 */
@Component
public class WebhookVerifier {

    /** Every header either family may need, for callers that pick them out of a request. */
    public static final List<String> HEADERS = Arrays.stream(Family.values())
            .flatMap(family -> Stream.of(family.id, family.timestamp, family.signature))
            .toList();

    private final List<Webhook> webhooks;

    @Autowired
    public WebhookVerifier(IngestProperties properties) {
        this(properties.webhookSecrets());
    }

    WebhookVerifier(List<String> secrets) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalStateException(
                    "MAILTRAIL_RESEND_WEBHOOK_SECRETS is empty: set at least one whsec_ secret");
        }
        this.webhooks =
                secrets.stream().map(String::trim).map(WebhookVerifier::webhook).toList();
    }

    private static Webhook webhook(String secret) {
        try {
            return new Webhook(secret);
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalStateException("MAILTRAIL_RESEND_WEBHOOK_SECRETS contains an empty secret");
        } catch (IllegalArgumentException e) {
            // never echo the secret itself
            throw new IllegalStateException("MAILTRAIL_RESEND_WEBHOOK_SECRETS contains a secret that is not base64 "
                    + "(expected whsec_<base64>)");
        }
    }

    /** The verified webhook's id when any secret verifies; which one, or what was expected, is never told. */
    public Optional<WebhookId> verify(byte[] rawBody, Map<String, List<String>> headers) {
        Map<String, List<String>> any = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        any.putAll(headers);
        Family family = Family.SVIX.presentIn(any) ? Family.SVIX : Family.STANDARD;
        if (!family.presentIn(any)) {
            return Optional.empty();
        }
        Map<String, List<String>> signed = Map.of(
                family.id,
                any.get(family.id),
                family.timestamp,
                any.get(family.timestamp),
                family.signature,
                any.get(family.signature));
        String payload = new String(rawBody, StandardCharsets.UTF_8);
        for (Webhook webhook : webhooks) {
            try {
                webhook.verify(payload, signed);
                return Optional.of(
                        new WebhookId(family.id, signed.get(family.id).get(0)));
            } catch (WebhookVerificationException | RuntimeException e) {
                // a malformed header (e.g. a non-numeric timestamp) is as invalid as a wrong signature
            }
        }
        return Optional.empty();
    }

    /** The header families of svix and of Standard Webhooks, the same scheme under two names. */
    enum Family {
        SVIX("svix-id", "svix-timestamp", "svix-signature"),
        STANDARD("webhook-id", "webhook-timestamp", "webhook-signature");

        final String id;
        final String timestamp;
        final String signature;

        Family(String id, String timestamp, String signature) {
            this.id = id;
            this.timestamp = timestamp;
            this.signature = signature;
        }

        boolean presentIn(Map<String, List<String>> headers) {
            return List.of(id, timestamp, signature).stream()
                    .allMatch(name ->
                            headers.get(name) != null && !headers.get(name).isEmpty());
        }
    }
}
