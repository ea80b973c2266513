package dev.mailtrail.send.sending;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code mailtrail.send.*}: sender threads per instance, how often they look for due work when not woken, emails per
 * batch call, the retry backoff, and how long after a first attempt of unknown outcome a retry is still safe (Resend
 * remembers a key 24 h; keep a margin).
 */
@ConfigurationProperties("mailtrail.send")
public record SendingProperties(
        int workers,
        Duration pollInterval,
        int batchSize,
        Duration backoffInitial,
        Duration backoffMax,
        Duration keyWindow) {

    public SendingProperties {
        if (workers < 1 || batchSize < 1 || batchSize > 100) {
            throw new IllegalArgumentException("mailtrail.send: workers >= 1 and batch-size 1..100 (Resend's limit)");
        }
        if (keyWindow.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("mailtrail.send.key-window: Resend remembers keys for 24 h at most");
        }
    }

    /** Before the attempt after {@code attempts} failed ones: doubling from the initial backoff, capped. */
    public Duration backoff(int attempts) {
        Duration backoff = backoffInitial;
        for (int i = 1; i < attempts && backoff.compareTo(backoffMax) < 0; i++) {
            backoff = backoff.multipliedBy(2);
        }
        return backoff.compareTo(backoffMax) < 0 ? backoff : backoffMax;
    }
}
