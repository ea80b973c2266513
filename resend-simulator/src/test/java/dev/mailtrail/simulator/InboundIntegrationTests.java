package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.svix.Webhook;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/** Threading on the way out (message_id) and inbound mail: email.received and the Receiving API. */
class InboundIntegrationTests extends IntegrationTestSupport {

    @Test
    void everyEmailWebhookAndTheRetrieveApiReportTheSameMessageId() {
        String id = send("""
                {"from":"crm@acme.test","to":"delivered@resend.dev","subject":"Threads","text":"x"}""");

        JsonNode retrieved = apiGet("/emails/" + id);
        String messageId = retrieved.get("message_id").asString();
        assertThat(messageId).matches("<" + id + "@[a-z.]+>");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(webhooksFor(id))
                        .isNotEmpty()
                        .allSatisfy(w -> assertThat(mapper.readTree(w.body())
                                        .at("/data/message_id")
                                        .asString())
                                .isEqualTo(messageId)));
    }

    @Test
    void inboundMailIsAnnouncedSignedAndServedInResendsShape() throws Exception {
        JsonNode accepted = client.post()
                .uri("/_simulator/inbound")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"from":"Pat <pat@prospect.test>","to":["sales@acme.test"],"subject":"Re: Hi",
                         "headers":{"In-Reply-To":"<abc@simulator.resend.dev>","Message-ID":"<r1@prospect.test>"},
                         "text":"Sounds good"}""")
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        String id = accepted.get("id").asString();

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(webhooksFor(id)).hasSize(1));
        WebhookReceiver.Request webhook = webhooksFor(id).get(0);
        new Webhook(SECRET).verify(webhook.body(), webhook.headers());
        JsonNode envelope = mapper.readTree(webhook.body());
        assertThat(envelope.get("type").asString()).isEqualTo("email.received");
        assertThat(envelope.at("/data/message_id").asString()).isEqualTo("<r1@prospect.test>");
        assertThat(envelope.at("/data/to/0").asString()).isEqualTo("sales@acme.test");
        assertThat(envelope.get("data").has("headers")).as("metadata only").isFalse();

        JsonNode received = apiGet("/emails/receiving/" + id);
        assertThat(received.get("object").asString()).isEqualTo("email");
        assertThat(received.at("/headers/In-Reply-To").asString()).isEqualTo("<abc@simulator.resend.dev>");
        assertThat(received.get("text").asString()).isEqualTo("Sounds good");
        assertThat(received.propertyNames())
                .containsAll(List.of("id", "to", "from", "created_at", "subject", "message_id", "attachments"));
    }

    /** A Resend API GET with the key, expecting 200 and JSON. */
    private JsonNode apiGet(String uri) {
        return client.get()
                .uri(uri)
                .header("Authorization", "Bearer " + API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    @Test
    void anUnknownInboundEmailIsResendsNotFoundAndTheApiNeedsItsKey() {
        expectError(
                client.get().uri("/emails/receiving/nope").header("Authorization", "Bearer " + API_KEY),
                404,
                "not_found");
        client.get().uri("/emails/receiving/nope").exchange().expectStatus().isUnauthorized();
    }
}
