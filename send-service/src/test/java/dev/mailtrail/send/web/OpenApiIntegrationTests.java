package dev.mailtrail.send.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.TestDatabase;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class OpenApiIntegrationTests {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    RequestMappingHandlerMapping mappings;

    @Test
    void theDocumentListsEveryRouteWithAnExampleForEveryResponse() {
        byte[] body = http.get()
                .uri("/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode paths = WireJson.mapper().readTree(body).get("paths");

        Set<String> documented = new HashSet<>();
        paths.properties()
                .forEach(path -> path.getValue().properties().forEach(op -> {
                    documented.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                    if (path.getKey().startsWith("/api/crm/")) {
                        // the token's 401 is declared once per controller: every operation must still list it
                        assertThat(op.getValue().get("responses").has("401"))
                                .as("%s %s documents 401", op.getKey(), path.getKey())
                                .isTrue();
                    }
                    op.getValue()
                            .get("responses")
                            .properties()
                            .forEach(response -> assertThat(response.getValue().toString())
                                    .as("%s %s %s", op.getKey(), path.getKey(), response.getKey())
                                    .contains("example"));
                }));
        // a controller-level 404 reaches every route of the controller
        for (String route : List.of("/api/crm/recipients", "/api/crm/recipients/consent")) {
            paths.get(route)
                    .properties()
                    .forEach(op -> assertThat(op.getValue()
                                    .at("/responses/404/description")
                                    .asString())
                            .as("%s %s documents 404", op.getKey(), route)
                            .containsIgnoringCase("a tenant this token may not see"));
        }
        Set<String> served = new HashSet<>();
        mappings.getHandlerMethods()
                .forEach((info, method) -> info.getPatternsCondition()
                        .getPatterns()
                        .forEach(pattern -> info.getMethodsCondition()
                                .getMethods()
                                .forEach(m -> served.add(m.name() + " " + pattern.getPatternString()))));
        served.removeIf(route -> route.contains("/v3/api-docs") || route.contains("swagger"));

        assertThat(served).isNotEmpty();
        assertThat(documented).containsAll(served);
    }
}
