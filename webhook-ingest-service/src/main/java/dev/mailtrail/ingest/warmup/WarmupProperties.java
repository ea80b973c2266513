package dev.mailtrail.ingest.warmup;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param enabled      run the warm-up before the instance reports ready
 * @param maxDuration  the warm-up stops here whatever it has done (readiness never waits longer)
 * @param webhooks     synthetic webhooks (each with one tracking hit) it runs through the request path
 * @param httpRequests synthetic webhooks it then sends to its own webhook route over loopback HTTP
 */
@ConfigurationProperties("mailtrail.ingest.warmup")
public record WarmupProperties(boolean enabled, Duration maxDuration, int webhooks, int httpRequests) {

    public WarmupProperties {
        if (maxDuration == null || maxDuration.isNegative()) {
            throw new IllegalArgumentException("mailtrail.ingest.warmup.max-duration must be 0 or more");
        }
        if (httpRequests < 0) {
            throw new IllegalArgumentException("mailtrail.ingest.warmup.http-requests must be 0 or more");
        }
        if (webhooks < 0) {
            throw new IllegalArgumentException("mailtrail.ingest.warmup.webhooks must be 0 or more");
        }
    }
}
