package dev.mailtrail.send.projection;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mailtrail.projection.engagement-payload-cap}: how many opens, and as many clicks, of one activity keep
 * their full payload in activity_event (and are listed on its timeline). Beyond it a hit keeps only what dedupe and
 * the context rules read, so a flood on one token cannot grow an activity's storage or timeline without bound.
 */
@ConfigurationProperties("mailtrail.projection")
public record EngagementStorage(@DefaultValue("500") int engagementPayloadCap) {

    public EngagementStorage {
        if (engagementPayloadCap < 0) {
            throw new IllegalArgumentException("mailtrail.projection.engagement-payload-cap must be >= 0");
        }
    }
}
