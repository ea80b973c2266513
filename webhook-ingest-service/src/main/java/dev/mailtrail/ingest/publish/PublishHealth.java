package dev.mailtrail.ingest.publish;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether Kafka is taking our events, as its own health indicator ({@code publish}) and gauge. It is not part
 * of readiness: the same pods serve tracking links, which keep working while Kafka is away.
 */
@Component("publish")
public class PublishHealth implements HealthIndicator {

    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    public PublishHealth(MeterRegistry registry) {
        Gauge.builder("mailtrail.publish.healthy", consecutiveFailures, f -> f.get() == 0 ? 1 : 0)
                .description("1 while the last publish to Kafka was acknowledged, else 0")
                .register(registry);
    }

    void succeeded() {
        consecutiveFailures.set(0);
    }

    void failed() {
        consecutiveFailures.incrementAndGet();
    }

    @Override
    public Health health() {
        int failures = consecutiveFailures.get();
        return failures == 0
                ? Health.up().build()
                : Health.down().withDetail("consecutiveFailures", failures).build();
    }
}
