package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.svix.Webhook;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mailtrail.simulator.api-key=" + SimulatorIntegrationTests.API_KEY,
        "mailtrail.simulator.webhook-secrets=" + SimulatorIntegrationTests.SECRET + ",whsec_c2Vjb25kLXNlY3JldA==",
        "mailtrail.simulator.event-gap=20ms" })
@AutoConfigureWebTestClient
class SimulatorIntegrationTests {

    static final String API_KEY = "re_dev_mailtrail_local";
    static final String SECRET = "whsec_bWFpbHRyYWlsLWxvY2FsLWRldi1zZWNyZXQ=";

    static final WebhookReceiver receiver = WebhookReceiver.start(body -> body.contains("receiver_fails"));

    @DynamicPropertySource
    static void webhookUrl(DynamicPropertyRegistry registry) {
        registry.add("mailtrail.simulator.webhook-url", receiver::url);
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper mapper;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "delivered@resend.dev                 | email.sent,email.delivered                  | delivered",
            "Bounce Test <BOUNCED@resend.dev>     | email.sent,email.bounced                    | bounced",
            "complained@resend.dev                | email.sent,email.delivered,email.complained | complained",
            "someone@example.com                  | email.sent,email.delivered                  | delivered"
    })
    void playsTheScenarioAsSignedResendWebhooks(String to, String expectedTypes, String lastEvent) throws Exception {
        String activityId = "act_" + UUID.randomUUID().toString().replace("-", "");
        String id = send("""
                {"from":"Acme <crm@acme.test>","to":"%s","subject":"Quarterly review","html":"<p>Hi</p>",
                 "tags":[{"name":"activity_id","value":"%s"},{"name":"tenant_id","value":"tenant-1"}]}"""
                .formatted(to, activityId));
        List<String> types = List.of(expectedTypes.split(","));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(webhooksFor(id)).hasSize(types.size()));

        List<WebhookReceiver.Request> webhooks = webhooksFor(id);
        Webhook verifier = new Webhook(SECRET);
        for (int i = 0; i < webhooks.size(); i++) {
            WebhookReceiver.Request request = webhooks.get(i);
            verifier.verify(request.body(), request.headers());
            assertThat(request.headers().get("svix-id").get(0)).matches("msg_[A-Za-z0-9]{27}");
            assertThat(request.headers().get("content-type").get(0)).startsWith("application/json");
            JsonNode event = mapper.readTree(request.body());
            assertThat(event.get("type").asString()).isEqualTo(types.get(i));
            assertThat(event.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            assertThat(event.get("data").get("email_id").asString()).isEqualTo(id);
            assertThat(event.get("data").get("tags").get("activity_id").asString()).isEqualTo(activityId);
            assertThat(event.get("data").get("tags").get("tenant_id").asString()).isEqualTo("tenant-1");
            assertThat(event.get("data").get("to").get(0).asString()).isEqualTo(to);
        }
        assertThat(webhooks).extracting(r -> r.headers().get("svix-id").get(0)).doesNotHaveDuplicates();
        if (lastEvent.equals("bounced")) {
            JsonNode bounce = mapper.readTree(webhooks.get(1).body()).get("data").get("bounce");
            assertThat(bounce.get("type").asString()).isEqualTo("Permanent");
        }

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> client.get().uri("/_simulator/deliveries")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.email_id == '%s')].status".formatted(id)).value(statuses ->
                        assertThat((List<?>) statuses).hasSize(types.size()).allMatch(s -> s.equals(200))));
        client.get().uri("/emails/{id}", id).header("Authorization", "Bearer " + API_KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.last_event").isEqualTo(lastEvent);
    }

    @Test
    void retrievesTheEmailInResendsShape() {
        String id = send("""
                {"from":"crm@acme.test","to":["a@example.com","b@example.com"],"cc":"c@example.com",
                 "subject":"Hello","html":"<h1>Hello</h1>","tags":[{"name":"activity_id","value":"act_42"}]}""");

        JsonNode email = client.get().uri("/emails/{id}", id).header("Authorization", "Bearer " + API_KEY)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(email.get("object").asString()).isEqualTo("email");
        assertThat(email.get("id").asString()).isEqualTo(id);
        assertThat(email.get("html").asString()).isEqualTo("<h1>Hello</h1>");
        assertThat(email.get("from").asString()).isEqualTo("crm@acme.test");
        assertThat(email.get("subject").asString()).isEqualTo("Hello");
        assertThat(email.get("to").get(1).asString()).isEqualTo("b@example.com");
        assertThat(email.get("cc").get(0).asString()).isEqualTo("c@example.com");
        // Resend sends absent fields as null rather than leaving them out
        assertThat(email.get("bcc").isNull()).isTrue();
        assertThat(email.get("text").isNull()).isTrue();
        assertThat(email.get("reply_to").isNull()).isTrue();
        assertThat(email.get("created_at").asString()).matches(".+T.+\\+00:00");
        assertThat(email.get("last_event").asString()).isIn("queued", "sent", "delivered");
        assertThat(email.get("tags").get(0).get("name").asString()).isEqualTo("activity_id");
        assertThat(email.get("tags").get(0).get("value").asString()).isEqualTo("act_42");
    }

    @Test
    void unknownEmailIs404() {
        client.get().uri("/emails/{id}", UUID.randomUUID()).header("Authorization", "Bearer " + API_KEY).exchange()
                .expectStatus().isNotFound()
                .expectBody().json("""
                        {"statusCode":404,"message":"Email not found","name":"not_found"}""", JsonCompareMode.STRICT);
    }

    @Test
    void missingApiKeyIs401() {
        client.post().uri("/emails").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().json("""
                        {"statusCode":401,"message":"Missing API key in the authorization header",
                         "name":"missing_api_key"}""", JsonCompareMode.STRICT);
    }

    @Test
    void wrongApiKeyIs403() {
        client.get().uri("/emails/{id}", UUID.randomUUID()).header("Authorization", "Bearer re_wrong").exchange()
                .expectStatus().isForbidden()
                .expectBody()
                .jsonPath("$.statusCode").isEqualTo(403)
                .jsonPath("$.name").isEqualTo("invalid_api_key")
                .jsonPath("$.message").isNotEmpty();
    }

    @Test
    void missingToIs422() {
        client.post().uri("/emails").header("Authorization", "Bearer " + API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\":\"crm@acme.test\",\"subject\":\"Hi\",\"html\":\"<p>x</p>\"}")
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().json("""
                        {"statusCode":422,"message":"Missing `to` field.","name":"missing_required_field"}""",
                        JsonCompareMode.STRICT);
    }

    @Test
    void invalidTagIs422() {
        client.post().uri("/emails").header("Authorization", "Bearer " + API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"from":"crm@acme.test","to":"a@example.com","subject":"Hi","text":"x",
                         "tags":[{"name":"activity id","value":"1"}]}""")
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectBody().jsonPath("$.name").isEqualTo("validation_error");
    }

    @Test
    void controlApiShowsTheRequestAndItsIdempotencyKey() {
        String key = "activity-" + UUID.randomUUID();
        String id = client.post().uri("/emails").header("Authorization", "Bearer " + API_KEY)
                .header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\":\"crm@acme.test\",\"to\":\"a@example.com\",\"subject\":\"Idem\",\"text\":\"t\"}")
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody().get("id").asString();

        client.get().uri("/_simulator/emails").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$[?(@.id == '%s')].request_headers.Idempotency-Key".formatted(id)).isEqualTo(List.of(key))
                .jsonPath("$[?(@.id == '%s')].request.subject".formatted(id)).isEqualTo(List.of("Idem"));
    }

    @Test
    void failedDeliveriesAreRecorded() {
        String id = send("""
                {"from":"crm@acme.test","to":"delivered@resend.dev","subject":"Down","text":"x",
                 "tags":[{"name":"mode","value":"receiver_fails"}]}""");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> client.get().uri("/_simulator/deliveries")
                .exchange()
                .expectBody()
                .jsonPath("$[?(@.email_id == '%s')].status".formatted(id)).isEqualTo(List.of(503, 503))
                .jsonPath("$[?(@.email_id == '%s')].succeeded".formatted(id)).isEqualTo(List.of(false, false))
                .jsonPath("$[?(@.email_id == '%s')].type".formatted(id))
                .isEqualTo(List.of("email.sent", "email.delivered")));
    }

    @Test
    void healthIsUp() {
        client.get().uri("/actuator/health").exchange()
                .expectStatus().isOk()
                .expectBody().json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
    }

    private String send(String json) {
        JsonNode response = client.post().uri("/emails").header("Authorization", "Bearer " + API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        assertThat(response.propertyNames()).containsExactly("id");
        String id = response.get("id").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        return id;
    }

    private List<WebhookReceiver.Request> webhooksFor(String emailId) {
        return receiver.requests().stream()
                .filter(r -> mapper.readTree(r.body()).get("data").get("email_id").asString().equals(emailId))
                .toList();
    }
}
