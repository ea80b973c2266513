package dev.mailtrail.send.projection;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long an untagged event waits for its email id to be linked ({@code MAILTRAIL_PARKED_RETENTION}, application.yml)
 * and how often the sweep looks.
 */
@ConfigurationProperties("mailtrail.projection")
record ParkedEventProperties(
        @DefaultValue("7d") Duration parkedRetention,
        @DefaultValue("1h") Duration parkedSweepInterval) {}
