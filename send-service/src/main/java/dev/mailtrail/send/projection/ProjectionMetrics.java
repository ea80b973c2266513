package dev.mailtrail.send.projection;

import dev.mailtrail.events.EmailEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/** {@code mailtrail.projection.events{type,outcome}}: fixed tag sets, no ids. */
@Component
public class ProjectionMetrics {

    public enum Outcome {
        APPLIED, DUPLICATE, PARKED, POISON
    }

    private final MeterRegistry registry;

    public ProjectionMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void event(EmailEvent event, Outcome outcome) {
        count(event.type().wire(), outcome);
    }

    public void poison() {
        count("unknown", Outcome.POISON);
    }

    private void count(String type, Outcome outcome) {
        Counter.builder("mailtrail.projection.events")
                .description("Events seen by the projection, by type and outcome")
                .tag("type", type)
                .tag("outcome", outcome.name().toLowerCase())
                .register(registry)
                .increment();
    }
}
