package dev.mailtrail.send.privacy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/** {@code mailtrail.privacy.erased{outcome}} (the erase's audit count) and {@code mailtrail.privacy.retention.deleted}. */
@Component
class PrivacyMetrics {

    enum Erased {
        /** Activities were redacted. */
        ERASED,
        /** None left to redact (none sent, or erased before). */
        NOTHING_FOUND
    }

    private final Map<Erased, Counter> erased = new EnumMap<>(Erased.class);
    private final Counter retentionDeleted;

    PrivacyMetrics(MeterRegistry registry) {
        for (Erased outcome : Erased.values()) {
            erased.put(
                    outcome,
                    Counter.builder("mailtrail.privacy.erased")
                            .description(
                                    "Erase-by-recipient requests carried out: erased (activities redacted), nothing_found")
                            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        retentionDeleted = Counter.builder("mailtrail.privacy.retention.deleted")
                .description("Activities deleted by the retention sweep, their last fact older than the retention")
                .register(registry);
    }

    /** One erase request carried out, which redacted {@code activities} now. */
    void erased(long activities) {
        erased.get(activities > 0 ? Erased.ERASED : Erased.NOTHING_FOUND).increment();
    }

    void retentionDeleted(long activities) {
        retentionDeleted.increment(activities);
    }
}
