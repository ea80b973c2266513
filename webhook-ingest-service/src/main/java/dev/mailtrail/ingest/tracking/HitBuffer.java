package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.ingest.publish.EventPublisher;
import dev.mailtrail.ingest.tracking.TrackingMetrics.Dropped;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * Mail clients never wait on Kafka: a hit is answered at once and its event queued here, then published with
 * retries. The queue is bounded in bytes; while Kafka is away it fills, and what does not fit is counted as
 * dropped. A stopping instance publishes what it holds for a bounded time and counts the rest as lost.
 */
@Component
public class HitBuffer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(HitBuffer.class);

    private static final int IN_FLIGHT = 64;

    private final long maxBytes;
    private final Duration shutdownFlush;
    private final TrackingMetrics metrics;
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final Object flushed = new Object();
    private final Disposable drain;
    private volatile FluxSink<PendingHit> queue;
    private volatile boolean accepting = true;

    @Autowired
    public HitBuffer(
            EventPublisher publisher, TrackingHits hits, TrackingProperties properties, TrackingMetrics metrics) {
        this(hits::event, publisher::publish, properties.buffer(), metrics);
    }

    /** With any event builder and publisher: the buffer's own tests hold publishing back. */
    HitBuffer(
            Function<PendingHit, EmailEvent> events,
            Function<EmailEvent, Mono<Void>> publish,
            TrackingProperties.Buffer properties,
            TrackingMetrics metrics) {
        this.maxBytes = properties.memory().toBytes();
        this.shutdownFlush = properties.shutdownFlush();
        this.metrics = metrics;
        metrics.bufferLevel(queued, bytes, maxBytes);
        // Flux.create's sink is serialized, so request threads can offer concurrently. Each hit is built (classified)
        // on a worker: right after a start classifying waits for YAUAA's rules, which must never hold up a Netty
        // event loop and every connection on it
        this.drain = Flux.<PendingHit>create(sink -> this.queue = sink, FluxSink.OverflowStrategy.BUFFER)
                .flatMap(
                        hit -> Mono.fromSupplier(() -> events.apply(hit))
                                .subscribeOn(Schedulers.boundedElastic())
                                .flatMap(event -> publish.apply(event)
                                        .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                                                .maxBackoff(Duration.ofSeconds(5))))
                                .then(Mono.fromRunnable(() -> {
                                    metrics.published();
                                    done(hit);
                                }))
                                .onErrorResume(unbuildable -> {
                                    log.warn(
                                            "Tracking hit dropped, its event could not be built: {}",
                                            unbuildable.toString());
                                    metrics.dropped(Dropped.UNBUILDABLE);
                                    done(hit);
                                    return Mono.empty();
                                }),
                        IN_FLIGHT)
                .subscribe();
    }

    /** False when the hit is not kept (the buffer is full, or the instance is stopping): it is counted as dropped. */
    public boolean offer(PendingHit hit) {
        // counted before the check: stop() then either sees it queued or this sees it stopping, never neither
        queued.incrementAndGet();
        if (!accepting) {
            queued.decrementAndGet();
            metrics.dropped(Dropped.LOST_AT_SHUTDOWN);
            return false;
        }
        if (bytes.addAndGet(hit.footprint()) > maxBytes) {
            bytes.addAndGet(-hit.footprint());
            queued.decrementAndGet();
            metrics.dropped(Dropped.BUFFER_FULL);
            return false;
        }
        queue.next(hit);
        metrics.queued();
        return true;
    }

    private void done(PendingHit hit) {
        bytes.addAndGet(-hit.footprint());
        if (queued.decrementAndGet() <= 0 && !accepting) {
            synchronized (flushed) {
                flushed.notifyAll();
            }
        }
    }

    /** Once the web server has stopped taking requests, and before the Kafka producer is closed. */
    @Override
    public int getPhase() {
        return WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1;
    }

    /** Running from construction; a stopped buffer is not restarted (its drain is gone). */
    @Override
    public void start() {}

    @Override
    public boolean isRunning() {
        return accepting;
    }

    /**
     * Publishes what is held for at most the flush bound, then gives up on the rest and counts it lost. A hit
     * published at the very moment of giving up may be counted lost too: over-counting is the safe side.
     */
    @Override
    public void stop() {
        accepting = false;
        long deadline = System.nanoTime() + shutdownFlush.toNanos();
        synchronized (flushed) {
            long left;
            while (queued.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    flushed.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        drain.dispose();
        int lost = queued.getAndSet(0);
        if (lost > 0) {
            metrics.dropped(Dropped.LOST_AT_SHUTDOWN, lost);
            log.warn("{} tracking hits could not be published within {} of shutdown and are lost", lost, shutdownFlush);
        }
    }
}
