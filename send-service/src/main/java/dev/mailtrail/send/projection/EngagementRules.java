package dev.mailtrail.send.projection;

import java.time.Duration;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mailtrail.projection.*}: the context rules that reclassify opens and clicks the edge could not judge
 * (see {@link Engagement}). {@code scannerWindow}: after delivery, hits from clients the edge could not call human
 * for sure are machines; {@code burstLinks} distinct links of one email clicked within {@code burstWindow} are a
 * scanner following every link.
 */
@ConfigurationProperties("mailtrail.projection")
public record EngagementRules(
        @DefaultValue("2s") Duration scannerWindow,
        @DefaultValue("5") int burstLinks,
        @DefaultValue("1s") Duration burstWindow) {

    /** What binds when nothing is configured. */
    public static final EngagementRules DEFAULTS = new EngagementRules(Duration.ofSeconds(2), 5, Duration.ofSeconds(1));

    public EngagementRules {
        if (scannerWindow.isNegative() || burstWindow.isNegative()) {
            throw new IllegalArgumentException("mailtrail.projection: scanner-window and burst-window must be >= 0");
        }
        // one link followed twice is a person double-clicking, not a scanner
        if (burstLinks < 2) {
            throw new IllegalArgumentException("mailtrail.projection.burst-links must be >= 2");
        }
    }

    /** Until when after this delivery an unsure hit is too soon; null without a delivery. */
    public Instant scannerUntil(Instant deliveredAt) {
        return deliveredAt == null ? null : deliveredAt.plus(scannerWindow);
    }
}
