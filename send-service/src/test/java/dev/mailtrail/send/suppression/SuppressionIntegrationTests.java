package dev.mailtrail.send.suppression;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.KafkaRecords;
import dev.mailtrail.send.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * The suppression list on a real broker and a real PostgreSQL: each source of an entry as the projection applies it
 * from {@code crm.email.events} (replays and duplicates changing nothing), the API's auth, tenancy, validation and
 * pages, and the changes on {@code crm.email.suppressions}. Each test has tenants of its own.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token,tenant-token:t-1",
            "mailtrail.kafka.partitions=2",
            "mailtrail.outbox.poll-interval=200ms"
        })
@AutoConfigureWebTestClient(timeout = "30s")
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class SuppressionIntegrationTests {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Instant T0 = Instant.parse("2026-11-26T10:15:30.000Z");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @Test
    void eachSourceWritesOneEntryAndReplaysOrLaterFactsChangeNothing() {
        String tenant = tenant();
        double hardBounces = counter("hard_bounce", "added");
        List<EmailEvent> facts = List.of(
                fact(tenant, "a1", EmailEventType.BOUNCED, "Hard@Example.com ")
                        .bounce("Permanent", "no such mailbox")
                        .build(),
                fact(tenant, "a2", EmailEventType.COMPLAINED, "complaint@example.com")
                        .build(),
                fact(tenant, "a3", EmailEventType.SUPPRESSED, "provider@example.com")
                        .failure("OnAccountSuppressionList")
                        .build(),
                fact(tenant, "a4", EmailEventType.UNSUBSCRIBED, "leaver@example.com")
                        .from(EventSource.TRACKING_REDIRECT)
                        .build(),
                // the send-service's own suppressed fact was caused by an entry; it makes none
                fact(tenant, "a5", EmailEventType.SUPPRESSED, "ours@example.com")
                        .from(EventSource.SEND_SERVICE)
                        .build(),
                // one soft bounce is below the limit
                fact(tenant, "a6", EmailEventType.BOUNCED, "soft@example.com")
                        .bounce("Transient", "mailbox full")
                        .build(),
                // one message to several people: whose bounce it is, nobody can tell
                fact(tenant, "a7", EmailEventType.BOUNCED, "x@example.com")
                        .to(List.of("x@example.com", "y@example.com"))
                        .bounce("Permanent", "no such mailbox")
                        .build());
        EmailEvents.publish(kafka, facts);
        awaitEntries(tenant, 4);

        // the same facts again, and a complaint from the hard bounce's address: still one entry each, first reason
        List<EmailEvent> again = new ArrayList<>(facts);
        again.add(fact(tenant, "a8", EmailEventType.COMPLAINED, "hard@example.com")
                .build());
        EmailEvents.publish(kafka, again);
        EmailEvents.publish(
                kafka,
                List.of(fact(tenant, "a9", EmailEventType.COMPLAINED, "marker@example.com")
                        .build()));
        JsonNode page = awaitEntries(tenant, 5);

        assertThat(page.at("/items").toString())
                .isEqualTo(("[" + item(tenant, "complaint@example.com", "complaint", "a2")
                        + "," + item(tenant, "hard@example.com", "hard_bounce", "a1")
                        + "," + item(tenant, "leaver@example.com", "unsubscribe", "a4")
                        + "," + item(tenant, "marker@example.com", "complaint", "a9")
                        + "," + item(tenant, "provider@example.com", "provider", "a3") + "]"));
        assertThat(counter("hard_bounce", "added") - hardBounces).isEqualTo(1);
    }

    /** Each address's bounces on one activity (one partition), so they are applied in the order sent. */
    @Test
    void softBouncesWithinThirtyDaysReachTheLimitOlderOnesStartAgain() {
        String tenant = tenant();
        EmailEvents.publish(
                kafka,
                List.of(
                        soft(tenant, "b1", "thrice", T0),
                        soft(tenant, "b2", "thrice", T0.plus(Duration.ofDays(10))),
                        soft(tenant, "b3", "twice", T0),
                        soft(tenant, "b4", "twice", T0.plus(Duration.ofDays(29))),
                        soft(tenant, "b5", "apart", T0),
                        soft(tenant, "b6", "apart", T0.plus(Duration.ofDays(20)))));
        // the third within the window; one 31 days after a window began starts a new one
        EmailEvents.publish(kafka, List.of(soft(tenant, "b7", "thrice", T0.plus(Duration.ofDays(20)))));
        EmailEvents.publish(kafka, List.of(soft(tenant, "b8", "apart", T0.plus(Duration.ofDays(31)))));
        EmailEvents.publish(kafka, List.of(soft(tenant, "b9", "apart", T0.plus(Duration.ofDays(32)))));
        // after apart's bounces on its partition: a marker entry (twice's and thrice's came earlier on theirs)
        EmailEvents.publish(
                kafka,
                List.of(fact(tenant, "apart", EmailEventType.COMPLAINED, "zz-marker@example.com")
                        .id("resend:" + tenant + ":z1")
                        .build()));

        JsonNode page = awaitEntries(tenant, 2);

        assertThat(page.at("/items").findValuesAsString("email"))
                .containsExactly("thrice@example.com", "zz-marker@example.com");
        assertThat(page.at("/items/0/reason").asString()).isEqualTo("soft_bounce_limit");
        assertThat(page.at("/items/0/activityId").asString()).isEqualTo("thrice");
    }

    @Test
    void theApiKeepsToTheTokensTenantValidatesWhatItIsSentAndPages() {
        String tenant = tenant();
        for (String email : List.of("c@example.com", "A@example.com", "b@example.com")) {
            add("dev-token", Map.of("tenantId", tenant, "email", email, "reason", "manual"))
                    .expectStatus()
                    .isCreated()
                    .expectBody()
                    .jsonPath("$.email")
                    .isEqualTo(email.toLowerCase())
                    .jsonPath("$.reason")
                    .isEqualTo("manual");
        }
        add("dev-token", Map.of("tenantId", tenant, "email", "a@example.com", "reason", "manual"))
                .expectStatus()
                .isOk();

        JsonNode first = json(get("dev-token", "?tenantId=" + tenant + "&limit=2")
                .expectStatus()
                .isOk());
        assertThat(first.at("/items").findValuesAsString("email")).containsExactly("a@example.com", "b@example.com");
        JsonNode second = json(get(
                        "dev-token",
                        "?tenantId=" + tenant + "&limit=2&cursor="
                                + first.at("/nextCursor").asString())
                .expectStatus()
                .isOk());
        assertThat(second.at("/items").findValuesAsString("email")).containsExactly("c@example.com");
        assertThat(second.at("/nextCursor").isNull()).isTrue();
        assertThat(json(get("dev-token", "?tenantId=" + tenant + "&reason=manual&email=B@example.com")
                                .expectStatus()
                                .isOk())
                        .at("/items")
                        .findValuesAsString("email"))
                .containsExactly("b@example.com");

        // another tenant's list is as unknown as a missing one
        get("tenant-token", "?tenantId=" + tenant).expectStatus().isNotFound();
        delete("tenant-token", "?tenantId=" + tenant + "&email=a@example.com")
                .expectStatus()
                .isNotFound();
        add("tenant-token", Map.of("tenantId", tenant, "email", "d@example.com", "reason", "manual"))
                .expectStatus()
                .isNotFound();
        http.get()
                .uri("/api/crm/suppressions?tenantId=" + tenant)
                .exchange()
                .expectStatus()
                .isUnauthorized();

        assertThat(errors(add("dev-token", Map.of("tenantId", tenant, "email", "x\u0000@example.com"))))
                .containsExactlyInAnyOrder("email", "reason");
        assertThat(errors(add("dev-token", Map.of("email", "a".repeat(320) + "@example.com", "reason", "hard_bounce"))))
                .containsExactlyInAnyOrder("tenantId", "email", "reason");
        assertThat(errors(add("dev-token", Map.of("tenantId", tenant, "email", "not an address", "reason", "manual"))))
                .containsExactly("email");
        assertThat(errors(http.post()
                        .uri("/api/crm/suppressions")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue("[1,")
                        .exchange()))
                .containsExactly("body");
        assertThat(errors(get("dev-token", "?tenantId=" + tenant + "&reason=bogus&limit=501&cursor=x")))
                .containsExactlyInAnyOrder("reason", "limit", "cursor");
        assertThat(errors(get("dev-token", ""))).containsExactly("tenantId");
        assertThat(errors(delete("dev-token", "?tenantId=" + tenant))).containsExactly("email");

        delete("dev-token", "?tenantId=" + tenant + "&email=A@Example.com")
                .expectStatus()
                .isNoContent();
        delete("dev-token", "?tenantId=" + tenant + "&email=a@example.com")
                .expectStatus()
                .isNotFound();
    }

    @Test
    void changesArePublishedOnTheCompactedTopicKeyedByTenantAndAddressHashARemovalATombstone() throws Exception {
        String tenant = tenant();
        Consumer<String, byte[]> consumer = KafkaRecords.consumer(broker, Topics.SUPPRESSIONS);
        String key = tenant + ":"
                + HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256")
                                .digest("ada@example.com".getBytes(StandardCharsets.UTF_8)));

        add("dev-token", Map.of("tenantId", tenant, "email", "Ada@example.com", "reason", "manual"))
                .expectStatus()
                .isCreated();
        delete("dev-token", "?tenantId=" + tenant + "&email=ada@example.com")
                .expectStatus()
                .isNoContent();

        List<ConsumerRecord<String, byte[]>> records = KafkaRecords.withKey(consumer, key, 2, PATIENCE);
        consumer.close();
        JsonNode added = WireJson.mapper().readTree(new String(records.get(0).value(), StandardCharsets.UTF_8));
        assertThat(added.at("/tenantId").asString()).isEqualTo(tenant);
        assertThat(added.at("/email").asString()).isEqualTo("ada@example.com");
        assertThat(added.at("/reason").asString()).isEqualTo("manual");
        assertThat(added.at("/activityId").isNull()).isTrue();
        assertThat(added.at("/createdAt").isString()).isTrue();
        assertThat(records.get(1).value()).isNull();
    }

    private static String tenant() {
        return "s-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static EmailEvents fact(String tenant, String activity, EmailEventType type, String recipient) {
        return event(type)
                .id("resend:" + tenant + ":" + activity)
                .tenant(tenant)
                .activity(activity)
                .message(null)
                .to(recipient)
                .at(T0);
    }

    /** A soft bounce of {@code <name>@example.com} on activity {@code <name>}. */
    private static EmailEvent soft(String tenant, String id, String name, Instant at) {
        return fact(tenant, name, EmailEventType.BOUNCED, name + "@example.com")
                .id("resend:" + tenant + ":" + id)
                .bounce("Transient", "mailbox full")
                .at(at)
                .build();
    }

    private static String item(String tenant, String email, String reason, String activity) {
        return "{\"tenantId\":\"" + tenant + "\",\"email\":\"" + email + "\",\"reason\":\"" + reason
                + "\",\"activityId\":\"" + activity + "\",\"createdAt\":\"2026-11-26T10:15:30.000Z\"}";
    }

    private JsonNode awaitEntries(String tenant, int count) {
        List<JsonNode> page = new ArrayList<>();
        await().atMost(PATIENCE).untilAsserted(() -> {
            page.clear();
            page.add(json(get("dev-token", "?tenantId=" + tenant).expectStatus().isOk()));
            assertThat(page.get(0).at("/items").size()).isEqualTo(count);
        });
        return page.get(0);
    }

    private WebTestClient.ResponseSpec get(String token, String query) {
        return http.get()
                .uri("/api/crm/suppressions" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }

    private WebTestClient.ResponseSpec delete(String token, String query) {
        return http.delete()
                .uri("/api/crm/suppressions" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }

    private WebTestClient.ResponseSpec add(String token, Map<String, String> body) {
        return http.post()
                .uri("/api/crm/suppressions")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static JsonNode json(WebTestClient.ResponseSpec response) {
        byte[] body = response.expectBody().returnResult().getResponseBody();
        return WireJson.mapper().readTree(body == null ? "null" : new String(body, StandardCharsets.UTF_8));
    }

    private static List<String> errors(WebTestClient.ResponseSpec response) {
        JsonNode problem = json(response.expectStatus().isBadRequest());
        assertThat(problem.at("/type").asString()).endsWith("/validation");
        return problem.at("/errors").findValuesAsString("field");
    }

    private double counter(String reason, String outcome) {
        var counter = meters.find("mailtrail.suppression.changes")
                .tags("reason", reason, "outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
