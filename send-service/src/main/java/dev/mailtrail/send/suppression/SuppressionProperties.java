package dev.mailtrail.send.suppression;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code softBounceLimit}: how many soft bounces of one address within {@link SuppressionList#SOFT_BOUNCE_WINDOW}
 * put it on the list ({@code MAILTRAIL_SOFT_BOUNCE_LIMIT}, application.yml).
 */
@ConfigurationProperties("mailtrail.suppression")
record SuppressionProperties(@DefaultValue("3") int softBounceLimit) {

    SuppressionProperties {
        if (softBounceLimit < 1) {
            throw new IllegalArgumentException("MAILTRAIL_SOFT_BOUNCE_LIMIT must be at least 1");
        }
    }
}
