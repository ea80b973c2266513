package dev.mailtrail.ingest.publish;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/** {@code mailtrail.publish.healthy}: whether the ingest's last publish to Kafka was acknowledged. */
@Component
class PublishMetrics {

    /** Consecutive unacknowledged publishes, 0 after an acknowledged one: what the gauge and the health read. */
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    PublishMetrics(MeterRegistry registry) {
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

    int consecutiveFailures() {
        return consecutiveFailures.get();
    }
}
