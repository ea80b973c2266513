package dev.mailtrail.ingest.verify;

import dev.mailtrail.ingest.IngestProperties;
import java.time.Clock;
import java.time.Instant;
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
 * window ({@link SvixSignature}). Of the two header families svix reads, {@code svix-*} when all three are there,
 * else {@code webhook-*} (its own precedence), only the chosen family is checked, so the id returned is the one the
 * signature covers: a request signed under {@code webhook-*} cannot bring its event id in an unsigned {@code svix-id}.
 */
@Component
public class WebhookVerifier {

    /** Every header either family may need, for callers that pick them out of a request. */
    public static final List<String> HEADERS = Arrays.stream(Family.values())
            .flatMap(family -> Stream.of(family.id, family.timestamp, family.signature))
            .toList();

    private final List<SvixSignature> secrets;
    private final Clock clock;

    @Autowired
    public WebhookVerifier(IngestProperties properties, Clock clock) {
        this(properties.webhookSecrets(), clock);
    }

    WebhookVerifier(List<String> secrets, Clock clock) {
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalStateException(
                    "MAILTRAIL_RESEND_WEBHOOK_SECRETS is empty: set at least one whsec_ secret");
        }
        this.secrets =
                secrets.stream().map(String::trim).map(WebhookVerifier::secret).toList();
        this.clock = clock;
    }

    private static SvixSignature secret(String secret) {
        try {
            return SvixSignature.of(secret);
        } catch (IllegalArgumentException e) {
            // never echo the secret itself
            throw new IllegalStateException(
                    e.getMessage().equals("empty")
                            ? "MAILTRAIL_RESEND_WEBHOOK_SECRETS contains an empty secret"
                            : "MAILTRAIL_RESEND_WEBHOOK_SECRETS contains a secret that is not base64 (expected whsec_<base64>)");
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
        String id = any.get(family.id).get(0);
        String timestamp = any.get(family.timestamp).get(0);
        String signatures = any.get(family.signature).get(0);
        Instant now = clock.instant();
        for (SvixSignature secret : secrets) {
            if (secret.verifies(rawBody, id, timestamp, signatures, now)) {
                return Optional.of(new WebhookId(family.id, id));
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
