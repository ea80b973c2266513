package dev.mailtrail.send.projection;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * V10 flags the clicks already recorded that are in a burst and drops the payloads past the cap, V20 counts the
 * human hits among them: they must use the rules and the cap this service runs with, so they reach them as Flyway
 * placeholders from the same settings.
 */
@Configuration(proxyBeanMethods = false)
class EngagementMigration {

    @Bean
    FlywayConfigurationCustomizer engagementPlaceholders(EngagementRules rules, EngagementStorage storage) {
        return flyway -> {
            Map<String, String> placeholders = new HashMap<>(flyway.getPlaceholders());
            placeholders.putAll(placeholders(rules, storage.engagementPayloadCap()));
            flyway.placeholders(placeholders);
        };
    }

    /** What the migrations read of these rules and this cap (tests migrating by hand pass the same). */
    static Map<String, String> placeholders(EngagementRules rules, int engagementPayloadCap) {
        return Map.of(
                "burst_window_ms",
                Long.toString(rules.burstWindow().toMillis()),
                "burst_links",
                Integer.toString(rules.burstLinks()),
                "scanner_window_ms",
                Long.toString(rules.scannerWindow().toMillis()),
                "engagement_payload_cap",
                Integer.toString(engagementPayloadCap));
    }
}
