package dev.mailtrail.ingest.publish;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Whether Kafka is taking our events, as its own health indicator ({@code publish}) and gauge ({@link
 * PublishMetrics}). It is not part of readiness: the same pods serve tracking links, which keep working while Kafka
 * is away.
 */
@Component("publish")
public class PublishHealth implements HealthIndicator {

    private final PublishMetrics metrics;

    PublishHealth(PublishMetrics metrics) {
        this.metrics = metrics;
    }

    void succeeded() {
        metrics.succeeded();
    }

    void failed() {
        metrics.failed();
    }

    @Override
    public Health health() {
        int failures = metrics.consecutiveFailures();
        return failures == 0
                ? Health.up().build()
                : Health.down().withDetail("consecutiveFailures", failures).build();
    }
}
