package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.tracking.TrackingToken;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * Tracking meters, every series registered at construction (fixed tag sets): hits by kind and validity, their
 * events on the way to Kafka, every hit whose recording was dropped, with why, and the buffer's level.
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

    /** Outcomes of {@code mailtrail.tracking.hits}. */
    private enum Hit {
        VALID,
        INVALID_TOKEN
    }

    /** Outcomes of {@code mailtrail.tracking.publish}. */
    private enum Publish {
        QUEUED,
        PUBLISHED
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

    private final MeterRegistry registry;
    private final Map<Unsubscribe, Counter> unsubscribe;
    private final Map<TrackingToken.Kind, Map<Hit, Counter>> hits = new EnumMap<>(TrackingToken.Kind.class);
    private final Map<Dropped, Counter> dropped;
    private final Map<Publish, Counter> publish;

    public TrackingMetrics(MeterRegistry registry) {
        this.registry = registry;
        // the pixel and the redirect: an unsubscribe link is no hit (mailtrail.tracking.unsubscribe counts it)
        for (TrackingToken.Kind kind : List.of(TrackingToken.Kind.OPEN, TrackingToken.Kind.CLICK)) {
            hits.put(
                    kind,
                    each(
                            Hit.class,
                            outcome -> Counter.builder("mailtrail.tracking.hits")
                                    .description("Pixel loads and link follows, by kind and outcome")
                                    .tag("kind", kind == TrackingToken.Kind.OPEN ? "open" : "click")
                                    .tag("outcome", tag(outcome))));
        }
        dropped = each(
                Dropped.class,
                reason -> Counter.builder("mailtrail.tracking.dropped")
                        .description("Hits answered as usual whose event was not published, by reason")
                        .tag("reason", tag(reason)));
        unsubscribe = each(
                Unsubscribe.class,
                outcome -> Counter.builder("mailtrail.tracking.unsubscribe")
                        .description("Requests of the one-click unsubscribe link (/u/), by outcome")
                        .tag("outcome", tag(outcome)));
        publish = each(
                Publish.class,
                outcome -> Counter.builder("mailtrail.tracking.publish")
                        .description("Tracking hit events on their way to Kafka: queued, published")
                        .tag("outcome", tag(outcome)));
    }

    /**
     * The buffer's level gauges, over the counts the buffer keeps for its own bound; registered once, when the
     * buffer is built at start-up.
     */
    void bufferLevel(AtomicInteger queued, AtomicLong bytes, long maxBytes) {
        Gauge.builder("mailtrail.tracking.buffered", queued, AtomicInteger::get)
                .description("Tracking hits waiting to be published")
                .register(registry);
        Gauge.builder("mailtrail.tracking.buffer.usage", bytes, b -> (double) b.get() / maxBytes)
                .description("Share of the tracking buffer's byte bound in use (0 to 1)")
                .register(registry);
    }

    void hit(TrackingToken.Kind kind, boolean validToken) {
        hits.get(kind).get(validToken ? Hit.VALID : Hit.INVALID_TOKEN).increment();
    }

    void unsubscribe(Unsubscribe outcome) {
        unsubscribe.get(outcome).increment();
    }

    void queued() {
        publish.get(Publish.QUEUED).increment();
    }

    void published() {
        publish.get(Publish.PUBLISHED).increment();
    }

    void dropped(Dropped reason) {
        dropped(reason, 1);
    }

    void dropped(Dropped reason, int hits) {
        dropped.get(reason).increment(hits);
    }

    /** One counter per value of {@code type}, each built by {@code counter}. */
    private <E extends Enum<E>> Map<E, Counter> each(Class<E> type, Function<E, Counter.Builder> counter) {
        Map<E, Counter> counters = new EnumMap<>(type);
        for (E value : type.getEnumConstants()) {
            counters.put(value, counter.apply(value).register(registry));
        }
        return counters;
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
