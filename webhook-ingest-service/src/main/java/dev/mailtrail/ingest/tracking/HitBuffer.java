package dev.mailtrail.ingest.tracking;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.ingest.publish.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.FluxSink;
import reactor.util.retry.Retry;

/**
 * Mail clients never wait on Kafka: a hit is answered at once and its event queued here, then published with
 * retries. The queue is bounded; while Kafka is away it fills, and what does not fit is counted as dropped.
 */
@Component
public class HitBuffer {

    private static final int IN_FLIGHT = 64;

    private final int capacity;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile FluxSink<EmailEvent> queue;
    private final MeterRegistry registry;
    private final Disposable drain;

    public HitBuffer(EventPublisher publisher, TrackingProperties properties, MeterRegistry registry) {
        this.registry = registry;
        this.capacity = properties.bufferCapacity();
        Gauge.builder("mailtrail.tracking.buffered", queued, AtomicInteger::get)
                .description("Tracking hits waiting to be published").register(registry);
        // Flux.create's sink is serialized, so request threads can offer concurrently
        this.drain = Flux.<EmailEvent>create(sink -> this.queue = sink, FluxSink.OverflowStrategy.BUFFER)
                .flatMap(event -> publisher.publish(event)
                        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
                        .then(Mono.fromRunnable(() -> {
                            queued.decrementAndGet();
                            count("published");
                        })), IN_FLIGHT)
                .subscribe();
    }

    /** False when the buffer is full: the hit is counted as dropped. */
    public boolean offer(EmailEvent event) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            count("dropped");
            return false;
        }
        queue.next(event);
        count("queued");
        return true;
    }

    private void count(String outcome) {
        Counter.builder("mailtrail.tracking.publish")
                .description("Tracking hit events: queued, published, dropped on a full buffer")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    @PreDestroy
    void stop() {
        drain.dispose();
    }
}
