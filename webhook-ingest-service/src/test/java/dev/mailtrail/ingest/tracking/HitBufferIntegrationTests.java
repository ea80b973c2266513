package dev.mailtrail.ingest.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.Topics;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.EventsTopic;
import dev.mailtrail.ingest.IngestApplication;
import dev.mailtrail.ingest.TcpProxy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The buffer in front of Kafka, with a real broker the ingest reaches only through a proxy that starts cut: what
 * it holds is bounded in bytes, and an instance that stops publishes what it holds within the bound or counts it
 * lost. Each test starts and stops an ingest of its own, since stopping is what is tested.
 */
@EmbeddedKafka(partitions = 1, topics = Topics.EVENTS)
class HitBufferIntegrationTests {

    TcpProxy proxy;
    ConfigurableApplicationContext ingest;

    @BeforeEach
    void kafkaBehindAProxy(EmbeddedKafkaBroker broker) throws IOException {
        String brokers = broker.getBrokersAsString();
        proxy = new TcpProxy(Integer.parseInt(brokers.substring(brokers.lastIndexOf(':') + 1)));
    }

    @AfterEach
    void stop() {
        if (ingest != null) {
            ingest.close();
        }
        proxy.close();
    }

    @Test
    void whileKafkaIsAwayTheBufferHoldsWhatFitsItsBytesAndEveryHitIsAnswered(EmbeddedKafkaBroker broker)
            throws IOException {
        ingest = start("6KB", "5s");
        double full = dropped("buffer_full").count();

        for (int i = 0; i < 20; i++) {
            pixel("act-buffer", "Firefox/" + i);
        }

        long held = (long) meters().get("mailtrail.tracking.buffered").gauge().value();
        assertThat(held).isPositive().isLessThan(20);
        assertThat(dropped("buffer_full").count()).isEqualTo(full + 20 - held);
        assertThat(meters().get("mailtrail.tracking.buffer.usage").gauge().value())
                .isLessThanOrEqualTo(1.0);

        proxy.restore();
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> recorded(broker, "act-buffer") == held);
    }

    @Test
    void atShutdownWhatCannotReachKafkaInTimeIsCountedLost(EmbeddedKafkaBroker broker) {
        ingest = start("16MB", "1s");
        Counter lost = dropped("lost_at_shutdown");
        for (int i = 0; i < 3; i++) {
            pixel("act-lost", "Firefox/" + i);
        }

        ingest.close();

        assertThat(lost.count()).isEqualTo(3);
    }

    @Test
    void atShutdownWhatIsHeldIsPublishedOnceKafkaIsBackWithinTheBound(EmbeddedKafkaBroker broker) throws IOException {
        ingest = start("16MB", "60s");
        Counter lost = dropped("lost_at_shutdown");
        for (int i = 0; i < 3; i++) {
            pixel("act-flushed", "Firefox/" + i);
        }

        CompletableFuture<Void> stopping = CompletableFuture.runAsync(ingest::close);
        proxy.restore();
        stopping.join();

        assertThat(lost.count()).isZero();
        assertThat(recorded(broker, "act-flushed")).isEqualTo(3);
    }

    /** Settings as arguments: they come before application.yml and the broker's own system property. */
    private ConfigurableApplicationContext start(String bufferMemory, String shutdownFlush) {
        return new SpringApplicationBuilder(IngestApplication.class)
                .run(
                        "--server.port=0",
                        "--management.server.port=0",
                        "--spring.kafka.bootstrap-servers=127.0.0.1:" + proxy.port(),
                        "--spring.kafka.admin.auto-create=false",
                        "--mailtrail.ingest.publish-timeout=2s",
                        "--spring.kafka.producer.properties.max.block.ms=1500",
                        // a record given up on fails soon, so closing the producer does not wait out the default
                        "--spring.kafka.producer.properties.request.timeout.ms=1000",
                        "--spring.kafka.producer.properties.delivery.timeout.ms=2000",
                        "--mailtrail.tracking.buffer.memory=" + bufferMemory,
                        "--mailtrail.tracking.buffer.shutdown-flush=" + shutdownFlush);
    }

    private void pixel(String activityId, String agent) {
        String token = ingest.getBean(TrackingTokenCodec.class).encode(TrackingToken.open(activityId, "t-1"));
        int port = ((WebServerApplicationContext) ingest).getWebServer().getPort();
        WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build()
                .get()
                .uri("/t/o/{token}.gif", token)
                .header(HttpHeaders.USER_AGENT, agent)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .isEqualTo(TrackingController.PIXEL);
    }

    private MeterRegistry meters() {
        return ingest.getBean(MeterRegistry.class);
    }

    private Counter dropped(String reason) {
        return meters().get("mailtrail.tracking.dropped").tag("reason", reason).counter();
    }

    private static long recorded(EmbeddedKafkaBroker broker, String activityId) {
        return EventsTopic.events(broker.getBrokersAsString()).count(activityId);
    }
}
