package dev.mailtrail.simulator;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code mailtrail.simulator}; application.yml maps the MAILTRAIL_* environment variables onto them.
 *
 * @param apiKey         the only API key accepted as {@code Authorization: Bearer ...}
 * @param webhookUrl     where webhooks are delivered
 * @param webhookSecrets {@code whsec_...} secrets; the first one signs
 * @param eventGap       pause before each event of an email (models Resend's processing time, keeps events ordered)
 * @param webhookTimeout a delivery that takes longer counts as failed (Resend: 15 s)
 * @param historyLimit   how many emails and delivery attempts are remembered (oldest are dropped)
 * @param readDelay      extra pause before an email's open: a person reads a while after delivery (mailtrail counts
 *                       engagement within 2 s of delivery as a machine's, as Apple's and scanners' opens are)
 */
@ConfigurationProperties("mailtrail.simulator")
public record SimulatorProperties(
        String apiKey,
        URI webhookUrl,
        List<String> webhookSecrets,
        Duration eventGap,
        Duration webhookTimeout,
        int historyLimit,
        Duration readDelay) {

    public SimulatorProperties {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("mailtrail.simulator.api-key (MAILTRAIL_RESEND_API_KEY) must be set");
        }
        if (webhookUrl == null) {
            throw new IllegalArgumentException(
                    "mailtrail.simulator.webhook-url (MAILTRAIL_SIMULATOR_WEBHOOK_URL) must be set");
        }
        webhookSecrets = webhookSecrets == null
                ? List.of()
                : webhookSecrets.stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        if (webhookSecrets.isEmpty()) {
            throw new IllegalArgumentException(
                    "mailtrail.simulator.webhook-secrets (MAILTRAIL_RESEND_WEBHOOK_SECRETS) must hold at least one secret");
        }
        eventGap = eventGap == null ? Duration.ofMillis(100) : eventGap;
        webhookTimeout = webhookTimeout == null ? Duration.ofSeconds(15) : webhookTimeout;
        historyLimit = historyLimit <= 0 ? 10_000 : historyLimit;
        readDelay = readDelay == null ? Duration.ofSeconds(3) : readDelay;
    }

    /** The secret that signs outgoing webhooks. */
    public String signingSecret() {
        return webhookSecrets.get(0);
    }
}
