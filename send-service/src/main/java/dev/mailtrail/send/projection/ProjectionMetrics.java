package dev.mailtrail.send.projection;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * {@code mailtrail.projection.events{type,outcome}}, {@code mailtrail.projection.batch.size},
 * {@code mailtrail.projection.lag} (now − occurredAt when applied) and the parked events
 * ({@code mailtrail.projection.parked}, {@code .parked.expired}): fixed tag sets, no ids, all registered here.
 */
@Component
public class ProjectionMetrics {

    /** Records set aside instead are counted by {@code mailtrail.kafka.dlt}. */
    public enum Outcome {
        APPLIED,
        DUPLICATE,
        PARKED,
        /** Names another tenant than its provider message id's activity: changed nothing (dead-lettered). */
        TENANT_MISMATCH,
        /** An open or click of a recipient who denied tracking: counted per tenant and day only, nothing recorded. */
        ANONYMOUS
    }

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<EmailEventType, Map<Outcome, Counter>> counters = new EnumMap<>(EmailEventType.class);
    private final DistributionSummary batchSize;
    private final Timer lag;
    private final Counter expired;
    private final AtomicLong parked = new AtomicLong();

    public ProjectionMetrics(MeterRegistry registry, Clock clock) {
        this.clock = clock;
        this.registry = registry;
        for (EmailEventType type : EmailEventType.values()) {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, counter(type.wire(), outcome));
            }
            counters.put(type, byOutcome);
        }
        batchSize = DistributionSummary.builder("mailtrail.projection.batch.size")
                .description("Records per poll batch")
                .register(registry);
        lag = Timer.builder("mailtrail.projection.lag")
                .description("From an event's occurredAt to its application")
                .register(registry);
        expired = Counter.builder("mailtrail.projection.parked.expired")
                .description("Parked events deleted unlinked after the retention period")
                .register(registry);
        Gauge.builder("mailtrail.projection.parked", parked, AtomicLong::get)
                .description("Parked events waiting for their email id to be linked, as of the last sweep")
                .register(registry);
    }

    public void event(EmailEvent event, Outcome outcome) {
        counters.get(event.type()).get(outcome).increment();
    }

    public void batch(int records) {
        batchSize.record(records);
    }

    public void lag(EmailEvent event) {
        Duration behind = Duration.between(event.occurredAt(), clock.instant());
        lag.record(behind.isNegative() ? Duration.ZERO : behind);
    }

    void parkedExpired(long deleted) {
        expired.increment(deleted);
    }

    void parked(long waiting) {
        parked.set(waiting);
    }

    private Counter counter(String type, Outcome outcome) {
        return Counter.builder("mailtrail.projection.events")
                .description("Events seen by the projection, by type and outcome")
                .tag("type", type)
                .tag("outcome", outcome.name().toLowerCase())
                .register(registry);
    }
}
