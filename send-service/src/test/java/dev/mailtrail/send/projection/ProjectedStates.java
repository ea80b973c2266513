package dev.mailtrail.send.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** What the running projection made of published events, read as the integration tests read it. */
final class ProjectedStates {

    static final Duration PATIENCE = Duration.ofSeconds(120);
    /** The version and update time states are compared at. */
    private static final Instant STAMP = Instant.parse("2026-11-26T10:00:00.000Z");

    private ProjectedStates() {}

    /** Waits until the stored state of the activity is the state of these events (DESIGN rule 2); answers it. */
    static ActivityState awaitStateOf(ActivityStateRepository states, ActivityKey key, List<EmailEvent> events) {
        ActivityState expected = ActivityFold.of(key, events, EngagementRules.DEFAULTS, STAMP);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(states.find(key).blockOptional())
                        .hasValueSatisfying(state ->
                                assertThat(Versions.stamp(state, 1, STAMP)).isEqualTo(expected)));
        return expected;
    }

    /** One page of the activity's timeline through the API ({@code query}: its parameters), at most {@code maxBytes}. */
    static JsonNode timeline(WebTestClient http, String activityId, String query, int maxBytes) {
        byte[] body = http.get()
                .uri("/api/crm/activities/" + activityId + "/timeline?" + query)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        assertThat(body.length).isLessThanOrEqualTo(maxBytes);
        return WireJson.mapper().readTree(body);
    }
}
