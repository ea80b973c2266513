package dev.mailtrail.ingest.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.Topics;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.EventsTopic;
import dev.mailtrail.ingest.SignedWebhook;
import dev.mailtrail.ingest.TcpProxy;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** The service reaches the broker only through a proxy the test cuts and restores. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.ingest.publish-timeout=2s",
            "spring.kafka.producer.properties.max.block.ms=1500",
            "spring.kafka.admin.auto-create=false"
        })
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 1, topics = Topics.EVENTS)
@DirtiesContext
class KafkaOutageIntegrationTests {

    static TcpProxy proxy;

    @DynamicPropertySource
    static void throughTheProxy(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", () -> "127.0.0.1:" + proxy().port());
    }

    static synchronized TcpProxy proxy() {
        if (proxy == null) {
            String brokers = System.getProperty(EmbeddedKafkaBroker.SPRING_EMBEDDED_KAFKA_BROKERS);
            int brokerPort = Integer.parseInt(brokers.substring(brokers.lastIndexOf(':') + 1));
            try {
                proxy = new TcpProxy(brokerPort);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return proxy;
    }

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Autowired
    WebTestClient http;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    PublishHealth publishHealth;

    @LocalManagementPort
    int managementPort;

    @Autowired
    TrackingTokenCodec codec;

    @Test
    void withKafkaAwayTheWebhookIs503WithinTheBoundThenLandsWhenResendRetries() throws IOException {
        SignedWebhook webhook = SignedWebhook.fixture("email.delivered");
        String eventId = "resend:" + webhook.svixId();
        proxy.cut();

        long started = System.nanoTime();
        EntityExchangeResult<byte[]> refused = post(webhook)
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/unavailable")
                .returnResult();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo("5");
        assertThat(publishHealth.health().getStatus().getCode()).isEqualTo("DOWN");
        // still ready: the same pods serve tracking links while Kafka is away
        WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + managementPort)
                .build()
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
        assertThat(EventsTopic.events(broker.getBrokersAsString()).all())
                .noneMatch(r -> EventsTopic.event(r).eventId().equals(eventId));

        // the tracking edge keeps answering at once, and holds the hit until Kafka is back
        String pixel = codec.encode(TrackingToken.open("act-during-outage", "t-1"));
        http.get()
                .uri("/t/o/{token}.gif", pixel)
                .header(HttpHeaders.USER_AGENT, "Mozilla/5.0 (X11) Firefox/130.0")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);

        // a one-click unsubscribe is answered 200 only once Kafka has it: now, 503 and a Retry-After
        String unsubscribe = codec.encode(TrackingToken.unsubscribe("act-unsubscribe-during-outage", "t-1"));
        unsubscribe(unsubscribe).expectStatus().isEqualTo(503).expectHeader().exists(HttpHeaders.RETRY_AFTER);

        proxy.restore();
        // Resend retries the very same delivery until it gets a 2xx
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        post(webhook).returnResult(byte[].class).getStatus().value() == 202);

        EventsTopic.events(broker.getBrokersAsString()).awaitEvent(eventId);
        EventsTopic.events(broker.getBrokersAsString()).awaitActivity("act-during-outage");
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> unsubscribe(unsubscribe)
                                .returnResult(byte[].class)
                                .getStatus()
                                .value()
                        == 200);
        EventsTopic.events(broker.getBrokersAsString()).awaitActivity("act-unsubscribe-during-outage");
        assertThat(publishHealth.health().getStatus().getCode()).isEqualTo("UP");
    }

    private WebTestClient.ResponseSpec unsubscribe(String token) {
        return http.mutate()
                .responseTimeout(Duration.ofSeconds(15))
                .build()
                .post()
                .uri("/u/{token}", token)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .bodyValue("List-Unsubscribe=One-Click")
                .exchange();
    }

    private WebTestClient.ResponseSpec post(SignedWebhook webhook) {
        return http.mutate()
                .responseTimeout(Duration.ofSeconds(15))
                .build()
                .post()
                .uri("/api/webhooks/resend")
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> webhook.headers().forEach(h::put))
                .bodyValue(webhook.bytes())
                .exchange();
    }
}
