package dev.mailtrail.ingest.tracking;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.ingest.publish.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.FluxSink;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Mail clients never wait on Kafka: a hit is answered at once and its event queued here, then published with
 * retries. The queue is bounded; while Kafka is away it fills, and what does not fit is counted as dropped.
 */
@Component
public class HitBuffer {

    private static final Logger log = LoggerFactory.getLogger(HitBuffer.class);

    private static final int IN_FLIGHT = 64;

    private final int capacity;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile FluxSink<Supplier<EmailEvent>> queue;
    private final MeterRegistry registry;
    private final Disposable drain;

    public HitBuffer(EventPublisher publisher, TrackingProperties properties, MeterRegistry registry) {
        this.registry = registry;
        this.capacity = properties.bufferCapacity();
        Gauge.builder("mailtrail.tracking.buffered", queued, AtomicInteger::get)
                .description("Tracking hits waiting to be published").register(registry);
        // Flux.create's sink is serialized, so request threads can offer concurrently. Each hit is built (classified)
        // on a worker: right after a start classifying waits for YAUAA's rules, which must never hold up a Netty
        // event loop and every connection on it
        this.drain = Flux.<Supplier<EmailEvent>>create(sink -> this.queue = sink, FluxSink.OverflowStrategy.BUFFER)
                .flatMap(hit -> Mono.fromSupplier(hit).subscribeOn(Schedulers.boundedElastic())
                        .flatMap(event -> publisher.publish(event)
                                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                                        .maxBackoff(Duration.ofSeconds(5))))
                        .then(Mono.fromRunnable(() -> done("published")))
                        .onErrorResume(unbuildable -> {
                            log.warn("Tracking hit dropped, its event could not be built: {}", unbuildable.toString());
                            done("dropped");
                            return Mono.empty();
                        }), IN_FLIGHT)
                .subscribe();
    }

    /** False when the buffer is full: the hit is counted as dropped. */
    public boolean offer(Supplier<EmailEvent> hit) {
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            count("dropped");
            return false;
        }
        queue.next(hit);
        count("queued");
        return true;
    }

    private void done(String outcome) {
        queued.decrementAndGet();
        count(outcome);
    }

    private void count(String outcome) {
        Counter.builder("mailtrail.tracking.publish")
                .description("Tracking hit events: queued, published, dropped (buffer full, or event not buildable)")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    @PreDestroy
    void stop() {
        drain.dispose();
    }
}
