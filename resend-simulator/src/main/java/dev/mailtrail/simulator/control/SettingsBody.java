package dev.mailtrail.simulator.control;

import dev.mailtrail.simulator.QuotaState;
import dev.mailtrail.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * {@code /_simulator/settings} as JSON: durations in milliseconds. In a PUT every field is optional; an absent one
 * keeps its current value ({@code unverified_domains} given replaces the whole list; {@code []} empties it).
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record SettingsBody(
        Integer rateLimit,
        QuotaState quotaExceeded,
        Long processingDelayMs,
        Double retryScale,
        Double duplicateRate,
        Double reorderRate,
        Long extraDelayMinMs,
        Long extraDelayMaxMs,
        List<String> unverifiedDomains,
        Double lossRate) {

    static SettingsBody of(SimulatorSettings s) {
        return new SettingsBody(
                s.rateLimit(),
                s.quotaExceeded(),
                s.processingDelay().toMillis(),
                s.retryScale(),
                s.duplicateRate(),
                s.reorderRate(),
                s.extraDelayMin().toMillis(),
                s.extraDelayMax().toMillis(),
                s.unverifiedDomains(),
                s.lossRate());
    }

    /** {@code current} with the fields this body sets; throws {@link IllegalArgumentException} when out of range. */
    SimulatorSettings applyTo(SimulatorSettings current) {
        return new SimulatorSettings(
                rateLimit != null ? rateLimit : current.rateLimit(),
                quotaExceeded != null ? quotaExceeded : current.quotaExceeded(),
                processingDelayMs != null ? Duration.ofMillis(processingDelayMs) : current.processingDelay(),
                retryScale != null ? retryScale : current.retryScale(),
                duplicateRate != null ? duplicateRate : current.duplicateRate(),
                reorderRate != null ? reorderRate : current.reorderRate(),
                extraDelayMinMs != null ? Duration.ofMillis(extraDelayMinMs) : current.extraDelayMin(),
                extraDelayMaxMs != null ? Duration.ofMillis(extraDelayMaxMs) : current.extraDelayMax(),
                unverifiedDomains != null ? unverifiedDomains : current.unverifiedDomains(),
                lossRate != null ? lossRate : current.lossRate());
    }
}
