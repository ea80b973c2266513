package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Webhook;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import tools.jackson.databind.JsonNode;

/** Scenarios as signed webhooks, retrieval, authentication and validation. */
class SimulatorIntegrationTests extends IntegrationTestSupport {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "delivered@resend.dev             | email.sent,email.delivered                                | delivered",
                "Bounce Test <BOUNCED@resend.dev> | email.sent,email.bounced                                  | bounced",
                "complained@resend.dev            | email.sent,email.delivered,email.complained               | complained",
                "suppressed+run1@resend.dev       | email.suppressed                                          | suppressed",
                "opened@resend.dev                | email.sent,email.delivered,email.opened                   | opened",
                "clicked@resend.dev               | email.sent,email.delivered,email.opened,email.clicked     | clicked",
                "delayed@resend.dev               | email.sent,email.delivery_delayed,email.delivered         | delivered",
                "failed@resend.dev                | email.failed                                              | failed",
                "someone@example.com              | email.sent,email.delivered                                | delivered"
            })
    void playsTheScenarioAsSignedResendWebhooks(String to, String expectedTypes, String lastEvent) throws Exception {
        String activityId = "act_" + UUID.randomUUID().toString().replace("-", "");
        String id = send("""
                {"from":"Acme <crm@acme.test>","to":"%s","subject":"Quarterly review",
                 "html":"<p>Hi, see <a href='https://acme.test/offer?a=1&amp;b=2'>the offer</a></p>",
                 "tags":[{"name":"activity_id","value":"%s"},{"name":"tenant_id","value":"tenant-1"}]}""".formatted(to, activityId));
        List<String> types = List.of(expectedTypes.split(","));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(webhooksFor(id)).hasSize(types.size()));

        List<WebhookReceiver.Request> webhooks = webhooksFor(id);
        Webhook verifier = new Webhook(SECRET);
        for (int i = 0; i < webhooks.size(); i++) {
            WebhookReceiver.Request request = webhooks.get(i);
            verifier.verify(request.body(), request.headers());
            assertThat(request.svixId()).matches("msg_[A-Za-z0-9]{27}");
            assertThat(request.headers().get("content-type").get(0)).startsWith("application/json");
            JsonNode event = mapper.readTree(request.body());
            assertThat(event.get("type").asString()).isEqualTo(types.get(i));
            assertThat(event.get("created_at").asString())
                    .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
            JsonNode data = event.get("data");
            assertThat(data.get("email_id").asString()).isEqualTo(id);
            assertThat(data.get("tags").get("activity_id").asString()).isEqualTo(activityId);
            assertThat(data.get("tags").get("tenant_id").asString()).isEqualTo("tenant-1");
            assertThat(data.get("to").get(0).asString()).isEqualTo(to);
            assertDetails(types.get(i), data);
        }
        assertThat(webhooks).extracting(WebhookReceiver.Request::svixId).doesNotHaveDuplicates();
        if (types.contains("email.opened")) {
            // a person's open, not one within mailtrail's scanner window after delivery
            assertThat(Duration.between(createdAt(webhooks, "email.delivered"), createdAt(webhooks, "email.opened")))
                    .isGreaterThanOrEqualTo(Duration.parse("PT" + READ_DELAY));
        }

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(deliveriesFor(id))
                        .hasSize(types.size())
                        .allSatisfy(d -> assertThat(d.get("status").asInt()).isEqualTo(200)));
        client.get()
                .uri("/emails/{id}", id)
                .header("Authorization", "Bearer " + API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.last_event")
                .isEqualTo(lastEvent);
    }

    private Instant createdAt(List<WebhookReceiver.Request> webhooks, String type) {
        return webhooks.stream()
                .map(r -> mapper.readTree(r.body()))
                .filter(event -> event.get("type").asString().equals(type))
                .map(event -> Instant.parse(event.get("created_at").asString()))
                .findFirst()
                .orElseThrow();
    }

    private static void assertDetails(String type, JsonNode data) {
        switch (type) {
            case "email.bounced" ->
                assertThat(data.get("bounce").get("type").asString()).isEqualTo("Permanent");
            case "email.clicked" -> {
                JsonNode click = data.get("click");
                assertThat(click.propertyNames()).containsExactly("ipAddress", "link", "timestamp", "userAgent");
                assertThat(click.get("link").asString()).isEqualTo("https://acme.test/offer?a=1&b=2");
            }
            case "email.failed" ->
                assertThat(data.get("failed").get("reason").asString()).isNotBlank();
            case "email.suppressed" -> {
                assertThat(data.get("suppressed").get("type").asString()).isEqualTo("OnAccountSuppressionList");
                assertThat(data.get("suppressed").get("message").asString()).isNotBlank();
            }
            default -> assertThat(data.has("bounce") || data.has("click")).isFalse();
        }
    }

    @Test
    void retrievesTheEmailInResendsShape() {
        String id = send("""
                {"from":"crm@acme.test","to":["a@example.com","b@example.com"],"cc":"c@example.com",
                 "subject":"Hello","html":"<h1>Hello</h1>","tags":[{"name":"activity_id","value":"act_42"}]}""");

        JsonNode email = client.get()
                .uri("/emails/{id}", id)
                .header("Authorization", "Bearer " + API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

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
        client.get()
                .uri("/emails/{id}", UUID.randomUUID())
                .header("Authorization", "Bearer " + API_KEY)
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody()
                .json("""
                        {"statusCode":404,"message":"Email not found","name":"not_found"}""", JsonCompareMode.STRICT);
    }

    @Test
    void missingApiKeyIs401() {
        client.post()
                .uri("/emails/batch")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[]")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .json("""
                        {"statusCode":401,"message":"Missing API key in the authorization header",
                         "name":"missing_api_key"}""", JsonCompareMode.STRICT);
    }

    @Test
    void wrongApiKeyIs403() {
        client.get()
                .uri("/emails/{id}", UUID.randomUUID())
                .header("Authorization", "Bearer re_wrong")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectBody()
                .jsonPath("$.statusCode")
                .isEqualTo(403)
                .jsonPath("$.name")
                .isEqualTo("invalid_api_key")
                .jsonPath("$.message")
                .isNotEmpty();
    }

    @Test
    void missingToIs422() {
        post("/emails", "{\"from\":\"crm@acme.test\",\"subject\":\"Hi\",\"html\":\"<p>x</p>\"}")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .json("""
                        {"statusCode":422,"message":"Missing `to` field.","name":"missing_required_field"}""", JsonCompareMode.STRICT);
    }

    @Test
    void invalidTagIs422() {
        expectError(post("/emails", """
                {"from":"crm@acme.test","to":"a@example.com","subject":"Hi","text":"x",
                 "tags":[{"name":"activity id","value":"1"}]}"""), 422, "validation_error");
    }

    @Test
    void controlApiShowsTheRequestAndItsIdempotencyKey() {
        String key = "activity-" + UUID.randomUUID();
        String id = post(
                        "/emails",
                        "{\"from\":\"crm@acme.test\",\"to\":\"a@example.com\",\"subject\":\"Idem\",\"text\":\"t\"}")
                .header("Idempotency-Key", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("id")
                .asString();

        client.get()
                .uri("/_simulator/emails")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$[?(@.id == '%s')].request_headers.Idempotency-Key".formatted(id))
                .isEqualTo(List.of(key))
                .jsonPath("$[?(@.id == '%s')].request.subject".formatted(id))
                .isEqualTo(List.of("Idem"));
    }

    @Test
    void healthIsUp() {
        client.get()
                .uri("/actuator/health")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json("{\"status\":\"UP\"}", JsonCompareMode.STRICT);
    }
}
