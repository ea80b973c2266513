package dev.mailtrail.send.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.send.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The timeline page and everything it loads, the API's answers (401 and 404 problems included) carry the
 * Content-Security-Policy, X-Frame-Options and Referrer-Policy; Swagger UI, a dev-only page, does not.
 * {@code ui/TimelinePageIntegrationTests} shows the page still works in a browser under that policy.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class SecurityHeadersIntegrationTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Test
    void thePageItsFilesAndTheApiAnswersCarryTheHeaders() {
        for (String path : new String[] {
            "/", "/index.html", "/app.js", "/app.css", "/ui/config", "/api/crm/activities/nobody", "/no-such-page"
        }) {
            http.get()
                    .uri(path)
                    .exchange()
                    .expectHeader()
                    .valueEquals("Content-Security-Policy", "default-src 'self'")
                    .expectHeader()
                    .valueEquals("X-Frame-Options", "DENY")
                    .expectHeader()
                    .valueEquals("Referrer-Policy", "no-referrer");
        }
        // the page is what the policy allows: its one script is a file of this origin
        http.get()
                .uri("/")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(html -> assertThat(html).contains("<script type=\"module\" src=\"app.js\"></script>"));
    }

    @Test
    void swaggerUiIsLeftAlone() {
        http.get()
                .uri("/webjars/swagger-ui/index.html")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .doesNotExist("Content-Security-Policy");
    }
}
