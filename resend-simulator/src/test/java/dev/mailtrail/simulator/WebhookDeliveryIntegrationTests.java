package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Webhook;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Retries on Svix's schedule (scaled down), the duplicate knob and events fired through the control API. */
class WebhookDeliveryIntegrationTests extends IntegrationTestSupport {

    private String sendTagged(String to, String mode) {
        return send("""
                {"from":"crm@acme.test","to":"%s","subject":"Retries","text":"x",
                 "tags":[{"name":"mode","value":"%s"}]}""".formatted(to, mode));
    }

    private static Map<String, List<WebhookReceiver.Request>> bySvixId(List<WebhookReceiver.Request> requests) {
        return requests.stream().collect(Collectors.groupingBy(WebhookReceiver.Request::svixId));
    }

    @ParameterizedTest
    @CsvSource({"fails_twice, '500,500,200'", "redirects_once, '302,200'"})
    void failedAttemptsAreRetriedWithTheSameIdAndBodyFreshlySigned(String mode, String statuses) throws Exception {
        String id = sendTagged("delivered@resend.dev", mode);
        List<Integer> expected =
                List.of(statuses.split(",")).stream().map(Integer::valueOf).toList();

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(bySvixId(webhooksFor(id)))
                        .hasSize(2)
                        .allSatisfy((svixId, arrivals) -> assertThat(arrivals).hasSize(expected.size())));

        Webhook verifier = new Webhook(SECRET);
        for (List<WebhookReceiver.Request> arrivals : bySvixId(webhooksFor(id)).values()) {
            assertThat(arrivals)
                    .extracting(WebhookReceiver.Request::body)
                    .containsOnly(arrivals.get(0).body());
            for (WebhookReceiver.Request arrival : arrivals) {
                verifier.verify(arrival.body(), arrival.headers());
            }
        }
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            List<JsonNode> sent = deliveriesFor(id).stream()
                    .filter(d -> d.get("type").asString().equals("email.sent"))
                    .toList();
            assertThat(sent).extracting(d -> d.get("status").asInt()).isEqualTo(expected);
            assertThat(sent)
                    .extracting(d -> d.get("attempt").asInt())
                    .isEqualTo(IntStream.rangeClosed(1, expected.size()).boxed().toList());
        });
    }

    @Test
    void aReceiverThatKeepsFailingKeepsGettingRetries() {
        String id = sendTagged("delivered@resend.dev", "receiver_fails");

        // at 1/1000 of Svix's schedule the 4th attempt comes ~0.3 s after the first
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(deliveriesFor(id).stream()
                                .filter(d -> d.get("type").asString().equals("email.sent"))
                                .toList())
                        .hasSizeGreaterThanOrEqualTo(4)
                        .allSatisfy(d -> {
                            assertThat(d.get("status").asInt()).isEqualTo(503);
                            assertThat(d.get("succeeded").asBoolean()).isFalse();
                        }));
    }

    @Test
    void duplicateKnobDeliversEachWebhookTwiceWithTheSameId() {
        putSettings("{\"duplicate_rate\":1.0}");
        String id = sendTagged("delivered@resend.dev", "plain");

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(bySvixId(webhooksFor(id)))
                        .hasSize(2)
                        .allSatisfy((svixId, arrivals) -> assertThat(arrivals).hasSize(2)));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(deliveriesFor(id))
                        .extracting(d -> d.get("duplicate").asBoolean())
                        .containsExactlyInAnyOrder(false, false, true, true));
    }

    @Test
    void controlApiFiresAnyEventForASentEmail() throws Exception {
        String id = sendTagged("delivered@resend.dev", "plain");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(webhooksFor(id)).hasSize(2));

        JsonNode fired = client.post()
                .uri("/_simulator/emails/{id}/events", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"type":"email.clicked","click":{"ipAddress":"198.51.100.1","link":"https://x.test/a",
                         "timestamp":"2024-11-22T23:41:12.126Z","userAgent":"TestAgent/1.0"}}""")
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

        String svixId = fired.get("svix_id").asString();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(webhooksFor(id))
                        .anySatisfy(r -> assertThat(r.svixId()).isEqualTo(svixId)));
        WebhookReceiver.Request clicked = webhooksFor(id).stream()
                .filter(r -> r.svixId().equals(svixId))
                .findFirst()
                .orElseThrow();
        new Webhook(SECRET).verify(clicked.body(), clicked.headers());
        JsonNode event = mapper.readTree(clicked.body());
        assertThat(event.get("type").asString()).isEqualTo("email.clicked");
        assertThat(event.get("data").get("click").get("link").asString()).isEqualTo("https://x.test/a");
        assertThat(event.get("data").get("click").get("userAgent").asString()).isEqualTo("TestAgent/1.0");
        client.get()
                .uri("/emails/{id}", id)
                .header("Authorization", "Bearer " + API_KEY)
                .exchange()
                .expectBody()
                .jsonPath("$.last_event")
                .isEqualTo("clicked");
    }

    @Test
    void firingAnUnknownEventOrForAnUnknownEmailIsRefused() {
        String id = sendTagged("delivered@resend.dev", "plain");
        client.post()
                .uri("/_simulator/emails/{id}/events", id)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"email.teleported\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody(Void.class);
        client.post()
                .uri("/_simulator/emails/{id}/events", UUID.randomUUID())
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"email.opened\"}")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody(Void.class);
    }
}
