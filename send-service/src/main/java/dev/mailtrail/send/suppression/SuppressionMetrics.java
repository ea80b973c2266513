package dev.mailtrail.send.suppression;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code mailtrail.suppression.changes{reason,outcome=added|removed}} (entries written or lifted, counted once
 * committed) and {@code mailtrail.send.suppressed{reason}} (recipients dropped from a send by the list).
 */
@Component
public class SuppressionMetrics {

    private final Map<Reason, Counter> added = new EnumMap<>(Reason.class);
    private final Map<Reason, Counter> removed = new EnumMap<>(Reason.class);
    private final Map<Reason, Counter> dropped = new EnumMap<>(Reason.class);

    SuppressionMetrics(MeterRegistry registry) {
        for (Reason reason : Reason.values()) {
            added.put(reason, change(registry, reason, "added"));
            removed.put(reason, change(registry, reason, "removed"));
            dropped.put(
                    reason,
                    Counter.builder("mailtrail.send.suppressed")
                            .description("Recipients dropped from a send because the tenant's list holds them")
                            .tag("reason", reason.wire())
                            .register(registry));
        }
    }

    private static Counter change(MeterRegistry registry, Reason reason, String outcome) {
        return Counter.builder("mailtrail.suppression.changes")
                .description("Suppression list entries added or removed, by reason")
                .tag("reason", reason.wire())
                .tag("outcome", outcome)
                .register(registry);
    }

    public void added(Collection<Suppression> entries) {
        entries.forEach(e -> added.get(e.reason()).increment());
    }

    public void removed(Suppression entry) {
        removed.get(entry.reason()).increment();
    }

    public void dropped(Collection<Reason> reasons) {
        reasons.forEach(r -> dropped.get(r).increment());
    }
}
