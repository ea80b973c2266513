package dev.mailtrail.ingest.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.ingest.EventsTopic;
import dev.mailtrail.ingest.client.Classifiers;
import dev.mailtrail.ingest.client.ClientClassifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The warm-up runs before the instance is ready: readiness (and the overall health the local stack waits for) says
 * OUT_OF_SERVICE while it runs, here held on the user-agent rules the test releases, and UP once it has run every
 * round and every webhook it sent to its own route over HTTP; nothing it builds reaches Kafka or the webhook
 * metrics.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.ingest.warmup.enabled=true",
            "mailtrail.ingest.warmup.webhooks=400",
            "mailtrail.ingest.warmup.http-requests=300",
            // far beyond what the test needs: readiness must wait for the rounds, not for the bound
            "mailtrail.ingest.warmup.max-duration=10m"
        })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class WarmupIntegrationTests {

    /** Completed by the test: until then the warm-up's first classification waits for the rules. */
    static final CompletableFuture<UserAgentAnalyzer> RULES = new CompletableFuture<>();

    @TestBean
    ClientClassifier clientClassifier;

    static ClientClassifier clientClassifier() {
        return Classifiers.loading(RULES);
    }

    @LocalManagementPort
    int managementPort;

    @Autowired
    Warmup warmup;

    @Autowired
    MeterRegistry meters;

    @Autowired
    ApplicationAvailability availability;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void readinessWaitsForTheWarmupWhichPublishesNothing() {
        WebTestClient management = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
        management
                .get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isEqualTo(503)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("OUT_OF_SERVICE");
        management.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(503);
        // the context has started (Spring's own readiness state accepts traffic): only the warm-up holds it back
        assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
        assertThat(warmup.ready()).isFalse();
        assertThat(warmup.rounds()).isZero();

        RULES.complete(UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats()
                .withField(UserAgent.AGENT_CLASS)
                .build());

        await().atMost(Duration.ofMinutes(2))
                .untilAsserted(() -> management
                        .get()
                        .uri("/actuator/health/readiness")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("UP"));
        assertThat(warmup.rounds()).isEqualTo(400);
        assertThat(warmup.httpAccepted())
                .as("answered 202 by the webhook route")
                .isEqualTo(300);
        assertThat(meters.find("mailtrail.webhook.received").counters())
                .as("the warm-up's requests are counted nowhere")
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(meters.get("mailtrail.webhook.verification").timer().count()).isZero();
        assertThat(meters.get("mailtrail.ingest.warmup")
                        .tag("outcome", "completed")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(meters.get("mailtrail.ingest.warmup")
                        .tag("outcome", "failed")
                        .timer()
                        .count())
                .isZero();
        assertThat(EventsTopic.events(broker.getBrokersAsString()).all()).isEmpty();
    }
}
