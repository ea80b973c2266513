package dev.mailtrail.send.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** The {@code mailtrail.outbox.backlog} gauge, registered at construction; {@link OutboxBacklog} measures it. */
@Component
class OutboxMetrics {

    private final AtomicLong backlog = new AtomicLong();

    OutboxMetrics(MeterRegistry registry) {
        Gauge.builder("mailtrail.outbox.backlog", backlog, AtomicLong::get)
                .description("Outbox rows not yet published (id span), as of the relay's last pass")
                .register(registry);
    }

    void backlog(long rows) {
        backlog.set(rows);
    }
}
