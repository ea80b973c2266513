package dev.mailtrail.ingest.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.ingest.client.ClientHit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Mono;

/** The buffer's accounting: bounded in bytes, and at shutdown every held hit published or counted lost. */
class HitBufferTests {

    static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
    static final Function<EmailEvent, Mono<Void>> KAFKA_AWAY = event -> Mono.never();
    static final String SMALL_AGENT = "Mozilla/5.0 (X11) Firefox/130.0";

    final MeterRegistry registry = new SimpleMeterRegistry();
    final TrackingMetrics metrics = new TrackingMetrics(registry);
    final AtomicInteger published = new AtomicInteger();

    @Test
    void holdsHitsUpToItsBytesAndCountsWhatDoesNotFit() {
        PendingHit hit = hit(SMALL_AGENT);
        HitBuffer buffer = buffer(KAFKA_AWAY, DataSize.ofBytes(10 * hit.footprint()), Duration.ofMillis(1));

        long kept = IntStream.range(0, 15).filter(i -> buffer.offer(hit)).count();

        assertThat(kept).isEqualTo(10);
        assertThat(dropped("buffer_full")).isEqualTo(5);
        assertThat(registry.get("mailtrail.tracking.buffered").gauge().value()).isEqualTo(10);
        assertThat(registry.get("mailtrail.tracking.buffer.usage").gauge().value())
                .isEqualTo(1.0);
    }

    @Test
    void theBoundIsBytesNotHits() {
        PendingHit large = hit("Mozilla/5.0 " + "x".repeat(500));
        long bound = 10 * hit(SMALL_AGENT).footprint();
        HitBuffer buffer = buffer(KAFKA_AWAY, DataSize.ofBytes(bound), Duration.ofMillis(1));

        long kept = IntStream.range(0, 15).filter(i -> buffer.offer(large)).count();

        assertThat(kept).isPositive().isLessThan(10).isEqualTo(bound / large.footprint());
    }

    @Test
    void whatIsPublishedLeavesRoom() {
        PendingHit hit = hit(SMALL_AGENT);
        HitBuffer buffer = buffer(
                event -> Mono.fromRunnable(published::incrementAndGet),
                DataSize.ofBytes(2 * hit.footprint()),
                Duration.ofSeconds(5));

        for (int i = 0; i < 6; i++) {
            int before = published.get();
            assertThat(buffer.offer(hit)).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> published.get() == before + 1);
        }
        assertThat(dropped("buffer_full")).isZero();
    }

    @Test
    void atShutdownWhatIsHeldIsPublishedWithinTheBound() {
        HitBuffer buffer = buffer(
                event -> Mono.delay(Duration.ofMillis(50)).then(Mono.fromRunnable(published::incrementAndGet)),
                DataSize.ofMegabytes(1),
                Duration.ofSeconds(30));
        IntStream.range(0, 20).forEach(i -> buffer.offer(hit("agent " + i)));

        buffer.stop();

        assertThat(published).hasValue(20);
        assertThat(dropped("lost_at_shutdown")).isZero();
        assertThat(buffer.isRunning()).isFalse();
    }

    @Test
    void atShutdownWhatCannotBePublishedInTimeIsCountedLostAndSoIsEveryLaterHit() {
        HitBuffer buffer = buffer(KAFKA_AWAY, DataSize.ofMegabytes(1), Duration.ofMillis(200));
        IntStream.range(0, 7).forEach(i -> buffer.offer(hit("agent " + i)));

        buffer.stop();

        assertThat(dropped("lost_at_shutdown")).isEqualTo(7);
        assertThat(buffer.offer(hit("late"))).isFalse();
        assertThat(dropped("lost_at_shutdown")).isEqualTo(8);
        assertThat(registry.get("mailtrail.tracking.publish")
                        .tag("outcome", "queued")
                        .counter()
                        .count())
                .isEqualTo(7);
    }

    @Test
    void aHitWhoseEventCannotBeBuiltIsCountedAndTheRestGoOn() {
        HitBuffer buffer = new HitBuffer(
                hit -> {
                    if (hit.client().userAgent().equals("broken")) {
                        throw new IllegalStateException("cannot build");
                    }
                    return event(hit);
                },
                event -> Mono.fromRunnable(published::incrementAndGet),
                Trackings.buffer(DataSize.ofMegabytes(1), Duration.ofSeconds(30)),
                metrics);

        buffer.offer(hit("broken"));
        buffer.offer(hit("fine"));
        buffer.stop();

        assertThat(dropped("unbuildable")).isEqualTo(1);
        assertThat(published).hasValue(1);
        assertThat(dropped("lost_at_shutdown")).isZero();
    }

    private HitBuffer buffer(Function<EmailEvent, Mono<Void>> publish, DataSize memory, Duration flush) {
        return new HitBuffer(HitBufferTests::event, publish, Trackings.buffer(memory, flush), metrics);
    }

    private double dropped(String reason) {
        return registry.get("mailtrail.tracking.dropped")
                .tag("reason", reason)
                .counter()
                .count();
    }

    static PendingHit hit(String agent) {
        return PendingHit.of("raw-token", TrackingToken.open("act-1", "t-1"), ClientHit.get(agent, "203.0.113.7"), AT);
    }

    static EmailEvent event(PendingHit hit) {
        return EmailEvent.builder()
                .eventId("open:" + hit.client().userAgent())
                .type(EmailEventType.OPENED)
                .occurredAt(hit.at())
                .receivedAt(hit.at())
                .source(EventSource.TRACKING_PIXEL)
                .activityId(hit.token().activityId())
                .tenantId(hit.token().tenantId())
                .build();
    }
}
