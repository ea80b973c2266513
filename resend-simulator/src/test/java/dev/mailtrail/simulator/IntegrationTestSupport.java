package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One running simulator (the Spring context is shared by every subclass) delivering to one {@link WebhookReceiver}.
 * Retries run at 1/1000 of Svix's schedule. Tags steer the receiver: {@code mode=receiver_fails} always gets 503,
 * {@code mode=fails_twice} 500 for the first two arrivals of each svix-id, {@code mode=redirects_once} a 302 first.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "mailtrail.simulator.api-key=" + IntegrationTestSupport.API_KEY,
            "mailtrail.simulator.webhook-secrets=" + IntegrationTestSupport.SECRET + ",whsec_c2Vjb25kLXNlY3JldA==",
            "mailtrail.simulator.event-gap=20ms",
            "mailtrail.simulator.read-delay=" + IntegrationTestSupport.READ_DELAY,
            "mailtrail.simulator.retry-scale=0.001"
        })
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
abstract class IntegrationTestSupport {

    static final String API_KEY = "re_dev_mailtrail_local";
    static final String READ_DELAY = "1s";
    static final String SECRET = "whsec_bWFpbHRyYWlsLWxvY2FsLWRldi1zZWNyZXQ=";

    // lives as long as the shared context (until the test JVM exits), so it is never closed here
    static final WebhookReceiver receiver = WebhookReceiver.start(IntegrationTestSupport::respond);

    @DynamicPropertySource
    static void webhookUrl(DynamicPropertyRegistry registry) {
        registry.add("mailtrail.simulator.webhook-url", receiver::url);
    }

    private static int respond(String body, int arrival) {
        if (body.contains("receiver_fails")) {
            return 503;
        }
        if (body.contains("fails_twice") && arrival <= 2) {
            return 500;
        }
        return body.contains("redirects_once") && arrival == 1 ? 302 : 200;
    }

    @Autowired
    WebTestClient client;

    @Autowired
    JsonMapper mapper;

    /** Settings back to the configured ones, memory cleared (webhooks in flight still arrive). */
    @AfterEach
    void resetSimulator() {
        client.post().uri("/_simulator/reset").exchange().expectStatus().isNoContent();
    }

    WebTestClient.RequestHeadersSpec<?> post(String uri, String json) {
        return client.post()
                .uri(uri)
                .header("Authorization", "Bearer " + API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json);
    }

    /** Sends one email, expects Resend's {@code {"id": "<uuid>"}} and returns the id. */
    String send(String json) {
        JsonNode response = post("/emails", json)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        assertThat(response.propertyNames()).containsExactly("id");
        String id = response.get("id").asString();
        assertThat(UUID.fromString(id)).isNotNull();
        return id;
    }

    /** Expects Resend's error body with this status and name. */
    static void expectError(WebTestClient.RequestHeadersSpec<?> request, int status, String name) {
        request.exchange()
                .expectStatus()
                .isEqualTo(status)
                .expectBody()
                .jsonPath("$.statusCode")
                .isEqualTo(status)
                .jsonPath("$.name")
                .isEqualTo(name);
    }

    void putSettings(String json) {
        client.put()
                .uri("/_simulator/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);
    }

    List<WebhookReceiver.Request> webhooksFor(String emailId) {
        return receiver.requests().stream()
                .filter(r -> mapper.readTree(r.body())
                        .get("data")
                        .get("email_id")
                        .asString()
                        .equals(emailId))
                .toList();
    }

    /** The JSON of {@code GET /_simulator/deliveries}, as a tree. */
    List<JsonNode> deliveriesFor(String emailId) {
        JsonNode all = client.get()
                .uri("/_simulator/deliveries")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        return all.valueStream()
                .filter(d -> d.get("email_id").asString().equals(emailId))
                .toList();
    }
}
