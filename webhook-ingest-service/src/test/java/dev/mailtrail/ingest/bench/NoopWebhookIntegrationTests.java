package dev.mailtrail.ingest.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@ActiveProfiles("bench")
@DirtiesContext
class NoopWebhookIntegrationTests {

    @Autowired
    WebTestClient http;

    @Autowired
    ApplicationContext context;

    @Test
    void theBaselineReadsTheBodyAndAnswers202UnderTheBenchProfile() {
        http.post()
                .uri("/bench/noop")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"email.sent\"}")
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(Void.class);
        assertThat(context.getEnvironment().getActiveProfiles()).containsExactly("bench");
    }
}
