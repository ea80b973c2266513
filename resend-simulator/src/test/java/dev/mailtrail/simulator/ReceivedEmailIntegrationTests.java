package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code GET /_simulator/emails/{id}}: the email as the simulator received it, headers included. */
class ReceivedEmailIntegrationTests extends IntegrationTestSupport {

    private static final String EMAIL = """
            {"from":"Acme <crm@acme.test>","to":"%s","subject":"Offer","html":"<p>Hi</p>","text":"Hi",
             "headers":{"List-Unsubscribe":"<https://t.acme.test/u/tok>",
                        "List-Unsubscribe-Post":"List-Unsubscribe=One-Click"},
             "tags":[{"name":"activity_id","value":"act_1"},{"name":"tenant_id","value":"tenant-1"}]}""";

    @Test
    void keepsTheHeadersHtmlTextAndTagsOfEverySend() {
        String id = send(EMAIL.formatted("delivered@resend.dev"));

        client.get()
                .uri("/_simulator/emails/{id}", id)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.id")
                .isEqualTo(id)
                .jsonPath("$.html")
                .isEqualTo("<p>Hi</p>")
                .jsonPath("$.text")
                .isEqualTo("Hi")
                .jsonPath("$.tags[0].name")
                .isEqualTo("activity_id")
                .jsonPath("$.tags[1].value")
                .isEqualTo("tenant-1")
                .jsonPath("$.headers['List-Unsubscribe']")
                .isEqualTo("<https://t.acme.test/u/tok>")
                .jsonPath("$.headers['List-Unsubscribe-Post']")
                .isEqualTo("List-Unsubscribe=One-Click");
    }

    @Test
    void anUnknownEmailIs404() {
        client.get()
                .uri("/_simulator/emails/{id}", "00000000-0000-0000-0000-000000000000")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void aSendWithHeadersToTheSuppressedAddressStillProducesEmailSuppressed() {
        String id = send(EMAIL.formatted("suppressed@resend.dev"));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(webhooksFor(id)).hasSize(1));
        JsonNode event = mapper.readTree(webhooksFor(id).get(0).body());
        assertThat(event.get("type").asString()).isEqualTo("email.suppressed");
        assertThat(event.get("data").get("to").valueStream().map(JsonNode::asString))
                .isEqualTo(List.of("suppressed@resend.dev"));
    }

    @Test
    void aHeaderThatWouldSmuggleAnotherIsRefusedAndNothingIsKept() {
        expectError(post("/emails", """
                        {"from":"a@acme.test","to":"x@y.test","subject":"s","text":"t",
                         "headers":{"X-Ref":"1\\r\\nBcc: victim@example.com"}}"""), 422, "validation_error");

        client.get()
                .uri("/_simulator/emails")
                .exchange()
                .expectBody()
                .jsonPath("$")
                .isEmpty();
    }
}
