package dev.mailtrail.send.resend;

import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mailtrail.resend.*}: where Resend is, the API key, how long to wait for it, and how many calls per second
 * this instance may make (Resend's limit is per team: with several replicas give each the team limit / replicas).
 */
@ConfigurationProperties("mailtrail.resend")
public record ResendProperties(
        URI baseUrl, String apiKey, Duration connectTimeout, Duration responseTimeout, double rateLimit) {

    public ResendProperties {
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("MAILTRAIL_RESEND_API_KEY is empty");
        }
        if (!(rateLimit > 0)) {
            throw new IllegalArgumentException("MAILTRAIL_RESEND_RATE_LIMIT must be a positive number of requests/s");
        }
    }

    /** The longest one call can take before it counts as timed out. */
    public Duration callBound() {
        return connectTimeout.plus(responseTimeout);
    }
}
