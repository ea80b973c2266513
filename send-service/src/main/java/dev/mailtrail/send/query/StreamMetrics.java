package dev.mailtrail.send.query;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code mailtrail.stream.skipped{reason}}: state records the live stream skipped, registered at construction. */
@Component
public class StreamMetrics {

    /** Why a state record was skipped. */
    enum Skipped {
        /** Not a state at all. */
        UNREADABLE
    }

    private final Map<Skipped, Counter> skipped = new EnumMap<>(Skipped.class);

    public StreamMetrics(MeterRegistry registry) {
        for (Skipped reason : Skipped.values()) {
            skipped.put(
                    reason,
                    Counter.builder("mailtrail.stream.skipped")
                            .description("State records the live stream skipped, by reason")
                            .tag("reason", reason.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    void skipped(Skipped reason) {
        skipped.get(reason).increment();
    }
}
