package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "mailtrail.api-tokens=dev-token,tenant-token:t-1"})
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class ProjectionIntegrationTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Test
    void aDeliveredEventOnTheTopicIsVisibleAsDeliveredThroughTheQueryApi() {
        Instant deliveredAt = Instant.parse("2026-11-26T10:15:31.456Z");
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(deliveredAt).build();

        publish(delivered);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get(delivered.activityId(), "dev-token")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.activityId").isEqualTo(delivered.activityId())
                .jsonPath("$.status").isEqualTo("DELIVERED")
                .jsonPath("$.deliveredAt").isEqualTo("2026-11-26T10:15:31.456Z")
                .jsonPath("$.sentAt").doesNotExist()
                .jsonPath("$.version").isEqualTo(1));
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        EmailEvent opened = event(EmailEventType.OPENED).build();
        EmailEvent marker = event(EmailEventType.DELIVERED).activity(opened.activityId()).build();

        publish(opened);
        publish(opened);
        publish(marker);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> get(opened.activityId(), "dev-token")
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.deliveredAt").isNotEmpty()
                .jsonPath("$.openCount").isEqualTo(1)
                .jsonPath("$.status").isEqualTo("OPENED"));
    }

    @Test
    void unknownActivitiesAndOtherTenantsActivitiesAreNotFound() {
        EmailEvent otherTenant = event(EmailEventType.DELIVERED).tenant("t-2").build();
        publish(otherTenant);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> get(otherTenant.activityId(), "dev-token").expectStatus().isOk());

        get(otherTenant.activityId(), "tenant-token").expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://mailtrail.dev/problems/not-found");
        get("no-such-activity", "dev-token").expectStatus().isNotFound();
    }

    @Test
    void theQueryApiNeedsAValidBearerToken() {
        http.get().uri("/api/crm/activities/x").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("https://mailtrail.dev/problems/unauthorized");
        get("x", "wrong").expectStatus().isUnauthorized();
    }

    private void publish(EmailEvent event) {
        kafka.send(Topics.EVENTS, event.partitionKey(), WireJson.write(event)).join();
    }

    private WebTestClient.ResponseSpec get(String activityId, String token) {
        return http.get().uri("/api/crm/activities/{id}", activityId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }
}
