package dev.mailtrail.ingest.warmup;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code mailtrail.ingest.warmup}: how long the warm-up before readiness took, by how it ended (fixed tag set). */
@Component
public class WarmupMetrics {

    /** Outcomes of {@code mailtrail.ingest.warmup}. */
    enum Outcome {
        /** Every round run. */
        COMPLETED,
        /** Stopped at its bound (or by a shutdown) with rounds left. */
        TIME_LIMIT,
        /** A round failed (logged); the instance serves all the same, only slower at first. */
        FAILED,
        /** Switched off ({@code MAILTRAIL_INGEST_WARMUP_ENABLED}, or no rounds or no time given). */
        DISABLED
    }

    private final Map<Outcome, Timer> durations = new EnumMap<>(Outcome.class);

    WarmupMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            durations.put(
                    outcome,
                    Timer.builder("mailtrail.ingest.warmup")
                            .description("The warm-up before readiness, by how it ended")
                            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    void finished(Outcome outcome, Duration took) {
        durations.get(outcome).record(took);
    }
}
