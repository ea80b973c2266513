package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.tracking.TrackingToken;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Tracking meters, registered once (fixed tag sets): hits by kind and validity, their events on the way to Kafka,
 * and every hit whose recording was dropped, with why.
 */
@Component
public class TrackingMetrics {

    /** Reasons of {@code mailtrail.tracking.dropped}: a hit answered as usual whose event was not published. */
    public enum Dropped {
        /** Over the per token and client IP limit. */
        CLIENT_RATE,
        /** Over the per token limit, all clients together. */
        TOKEN_RATE,
        /** The buffer's bytes were taken (Kafka away for long). */
        BUFFER_FULL,
        /** Its event could not be built (logged). */
        UNBUILDABLE,
        /** Still held when the instance stopped and the flush bound ran out. */
        LOST_AT_SHUTDOWN;

        String tag() {
            return name().toLowerCase();
        }
    }

    private final Map<TrackingToken.Kind, Counter> valid = new EnumMap<>(TrackingToken.Kind.class);
    private final Map<TrackingToken.Kind, Counter> invalid = new EnumMap<>(TrackingToken.Kind.class);
    private final Map<Dropped, Counter> dropped = new EnumMap<>(Dropped.class);
    private final Counter queued;
    private final Counter published;

    public TrackingMetrics(MeterRegistry registry) {
        for (TrackingToken.Kind kind : TrackingToken.Kind.values()) {
            valid.put(kind, hits(registry, kind, "valid"));
            invalid.put(kind, hits(registry, kind, "invalid_token"));
        }
        for (Dropped reason : Dropped.values()) {
            dropped.put(
                    reason,
                    Counter.builder("mailtrail.tracking.dropped")
                            .description("Hits answered as usual whose event was not published, by reason")
                            .tag("reason", reason.tag())
                            .register(registry));
        }
        this.queued = publish(registry, "queued");
        this.published = publish(registry, "published");
    }

    void hit(TrackingToken.Kind kind, boolean validToken) {
        (validToken ? valid : invalid).get(kind).increment();
    }

    void queued() {
        queued.increment();
    }

    void published() {
        published.increment();
    }

    void dropped(Dropped reason) {
        dropped(reason, 1);
    }

    void dropped(Dropped reason, int hits) {
        dropped.get(reason).increment(hits);
    }

    private static Counter hits(MeterRegistry registry, TrackingToken.Kind kind, String outcome) {
        return Counter.builder("mailtrail.tracking.hits")
                .description("Pixel loads and link follows, by kind and outcome")
                .tag("kind", kind == TrackingToken.Kind.OPEN ? "open" : "click")
                .tag("outcome", outcome)
                .register(registry);
    }

    private static Counter publish(MeterRegistry registry, String outcome) {
        return Counter.builder("mailtrail.tracking.publish")
                .description("Tracking hit events on their way to Kafka: queued, published")
                .tag("outcome", outcome)
                .register(registry);
    }
}
