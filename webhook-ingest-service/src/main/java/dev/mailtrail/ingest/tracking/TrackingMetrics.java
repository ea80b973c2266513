package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.tracking.TrackingToken;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
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
        LOST_AT_SHUTDOWN
    }

    /** Outcomes of {@code mailtrail.tracking.unsubscribe}: the {@code /u/} link's requests. */
    public enum Unsubscribe {
        /** A one-click POST whose event Kafka acknowledged. */
        UNSUBSCRIBED,
        /** The confirmation page (a GET, which never unsubscribes). */
        PAGE,
        /** Not an unsubscribe token we signed (page or POST): 404. */
        INVALID_TOKEN,
        /** A POST whose body is not the one-click form: 400, 413 or 415. */
        INVALID_BODY,
        /** Over the per token and client IP, or per token, limit: 503, nothing published. */
        LIMITED,
        /** Kafka did not acknowledge in time: 503. */
        UNAVAILABLE
    }

    private final Map<Unsubscribe, Counter> unsubscribe;
    private final Map<TrackingToken.Kind, Counter> valid = new EnumMap<>(TrackingToken.Kind.class);
    private final Map<TrackingToken.Kind, Counter> invalid = new EnumMap<>(TrackingToken.Kind.class);
    private final Map<Dropped, Counter> dropped;
    private final Counter queued;
    private final Counter published;

    public TrackingMetrics(MeterRegistry registry) {
        this.unsubscribe = byTag(
                registry,
                Unsubscribe.class,
                "mailtrail.tracking.unsubscribe",
                "Requests of the one-click unsubscribe link (/u/), by outcome",
                "outcome");
        // the pixel and the redirect: an unsubscribe link is no hit (mailtrail.tracking.unsubscribe counts it)
        for (TrackingToken.Kind kind : List.of(TrackingToken.Kind.OPEN, TrackingToken.Kind.CLICK)) {
            valid.put(kind, hits(registry, kind, "valid"));
            invalid.put(kind, hits(registry, kind, "invalid_token"));
        }
        this.dropped = byTag(
                registry,
                Dropped.class,
                "mailtrail.tracking.dropped",
                "Hits answered as usual whose event was not published, by reason",
                "reason");
        this.queued = publish(registry, "queued");
        this.published = publish(registry, "published");
    }

    void hit(TrackingToken.Kind kind, boolean validToken) {
        (validToken ? valid : invalid).get(kind).increment();
    }

    void unsubscribe(Unsubscribe outcome) {
        unsubscribe.get(outcome).increment();
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

    /** One counter per value of {@code type}, tagged with its lower-case name: a fixed tag set. */
    private static <E extends Enum<E>> Map<E, Counter> byTag(
            MeterRegistry registry, Class<E> type, String name, String description, String tag) {
        Map<E, Counter> counters = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            counters.put(
                    value,
                    Counter.builder(name)
                            .description(description)
                            .tag(tag, value.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        return counters;
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
