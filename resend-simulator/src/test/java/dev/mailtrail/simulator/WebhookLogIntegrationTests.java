package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Resend's webhook management and Headless Webhook API, and the {@code loss_rate} knob they exist for. */
class WebhookLogIntegrationTests extends IntegrationTestSupport {

    private String send(String to, String mode) {
        return send("""
                {"from":"crm@acme.test","to":"%s","subject":"Log","text":"x",
                 "tags":[{"name":"mode","value":"%s"}]}""".formatted(to, mode));
    }

    private WebTestClient.RequestHeadersSpec<?> authorized(String uri) {
        return client.get().uri(uri).header("Authorization", "Bearer " + API_KEY);
    }

    private JsonNode get(String uri) {
        return authorized(uri)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private String webhookId() {
        JsonNode list = get("/webhooks");
        assertThat(list.get("object").asString()).isEqualTo("list");
        assertThat(list.get("has_more").asBoolean()).isFalse();
        assertThat(list.get("data")).hasSize(1);
        JsonNode webhook = list.get("data").get(0);
        assertThat(webhook.get("endpoint").asString()).isEqualTo(receiver.url());
        assertThat(webhook.get("status").asString()).isEqualTo("enabled");
        return webhook.get("id").asString();
    }

    /** Every event id, walking the pages of {@code limit} newest first. */
    private List<String> walk(String webhookId, int limit) {
        List<String> ids = new ArrayList<>();
        String after = null;
        boolean more = true;
        while (more) {
            JsonNode page =
                    get("/webhooks/" + webhookId + "/events?limit=" + limit + (after == null ? "" : "&after=" + after));
            assertThat(page.get("object").asString()).isEqualTo("list");
            assertThat(page.get("data").size()).isLessThanOrEqualTo(limit);
            page.get("data").forEach(e -> ids.add(e.get("id").asString()));
            more = page.get("has_more").asBoolean();
            after = ids.isEmpty() ? null : ids.get(ids.size() - 1);
        }
        return ids;
    }

    @Test
    void eventsArePagedNewestFirstWithTheirStatusPayloadAndAttempts() {
        String webhookId = webhookId();
        String emailId = send("delivered@resend.dev", "plain");
        await().atMost(Duration.ofSeconds(10)).until(() -> webhooksFor(emailId).size() >= 2);
        List<String> delivered = webhooksFor(emailId).stream()
                .map(WebhookReceiver.Request::svixId)
                .toList();

        List<String> byTwo = walk(webhookId, 2);
        assertThat(byTwo).doesNotHaveDuplicates().containsAll(delivered);
        // newest first: the email's first event (email.sent) comes after its later ones
        assertThat(byTwo.indexOf(delivered.get(0))).isGreaterThan(byTwo.indexOf(delivered.get(1)));
        assertThat(walk(webhookId, 100))
                .containsExactlyElementsOf(byTwo.subList(0, walk(webhookId, 100).size()));

        JsonNode event = get("/webhooks/" + webhookId + "/events/" + delivered.get(0));
        assertThat(event.get("object").asString()).isEqualTo("webhook_event");
        assertThat(event.get("type").asString()).isEqualTo("email.sent");
        assertThat(event.get("status").asString()).isEqualTo("success");
        assertThat(event.get("next_attempt_at").isNull()).isTrue();
        assertThat(event.get("payload").get("data").get("email_id").asString()).isEqualTo(emailId);

        JsonNode attempts = get("/webhooks/" + webhookId + "/events/" + delivered.get(0) + "/attempts");
        assertThat(attempts.get("object").asString()).isEqualTo("list");
        assertThat(attempts.get("data")).hasSize(1);
        assertThat(attempts.get("data").get(0).get("http_status_code").asInt()).isEqualTo(200);
        assertThat(attempts.get("data").get(0).get("id").asString()).startsWith("atmpt_");
    }

    @Test
    void aLostEventFailsEveryAutomaticAttemptAndAReplayIsDeliveredNormally() {
        String webhookId = webhookId();
        putSettings("{\"loss_rate\":1.0}");
        String emailId = send("delivered@resend.dev", "plain");

        // at 1/1000 of Svix's schedule the third attempt comes ~5 ms after the second
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(deliveriesFor(emailId))
                        .filteredOn(d -> d.get("type").asString().equals("email.sent"))
                        .hasSizeGreaterThanOrEqualTo(3)
                        .allSatisfy(d -> {
                            assertThat(d.get("succeeded").asBoolean()).isFalse();
                            assertThat(d.get("status").isNull()).isTrue();
                        }));
        assertThat(webhooksFor(emailId)).isEmpty();
        String eventId = walk(webhookId, 100).stream()
                .filter(id -> get("/webhooks/" + webhookId + "/events/" + id)
                        .get("payload")
                        .get("data")
                        .get("email_id")
                        .asString()
                        .equals(emailId))
                .filter(id -> get("/webhooks/" + webhookId + "/events/" + id)
                        .get("type")
                        .asString()
                        .equals("email.sent"))
                .findFirst()
                .orElseThrow();
        assertThat(get("/webhooks/" + webhookId + "/events/" + eventId)
                        .get("status")
                        .asString())
                .isEqualTo("attempting");

        JsonNode replayed = post("/webhooks/" + webhookId + "/events/" + eventId + "/replay", "{}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        assertThat(replayed.get("id").asString()).isEqualTo(eventId);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(webhooksFor(emailId))
                        .extracting(WebhookReceiver.Request::svixId)
                        .containsExactly(eventId));
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(get("/webhooks/" + webhookId + "/events/" + eventId)
                                .get("status")
                                .asString())
                        .isEqualTo("success"));
        JsonNode newest = get("/webhooks/" + webhookId + "/events/" + eventId + "/attempts?limit=1");
        assertThat(newest.get("data").get(0).get("http_status_code").asInt()).isEqualTo(200);
        assertThat(newest.get("has_more").asBoolean()).isTrue();
    }

    @Test
    void badRequestsGetResendsErrors() {
        String webhookId = webhookId();
        expectError(client.get().uri("/webhooks"), 401, "missing_api_key");
        expectError(authorized("/webhooks/" + webhookId + "/events?limit=101"), 422, "validation_error");
        expectError(authorized("/webhooks/" + webhookId + "/events?limit=x"), 422, "validation_error");
        expectError(authorized("/webhooks/nope/events"), 404, "not_found");
        expectError(authorized("/webhooks/" + webhookId + "/events/msg_unknown"), 404, "not_found");
        expectError(post("/webhooks/" + webhookId + "/events/msg_unknown/replay", "{}"), 404, "not_found");
    }

    @Test
    void lossRateOutsideZeroToOneIsRefused() {
        client.put()
                .uri("/_simulator/settings")
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .bodyValue("{\"loss_rate\":1.5}")
                .exchange()
                .expectStatus()
                .isBadRequest();
    }
}
