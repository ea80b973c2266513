package dev.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ProblemCode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

class ProblemsTests {

    @Test
    void unavailableIs503WithRetryAfterAsProblemJson() {
        ResponseEntity<Object> answer = Problems.unavailable("try again");

        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(answer.getBody())
                .isEqualTo(Map.of(
                        "type", "https://mailtrail.dev/problems/unavailable",
                        "title", "Temporarily unavailable",
                        "status", 503,
                        "detail", "try again"));
    }

    @Test
    void aProblemCarriesItsCodesStatusTypeAndDetail() {
        ResponseEntity<Object> answer = Problems.of(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Send JSON");

        assertThat(answer.getStatusCode().value()).isEqualTo(415);
        assertThat(answer.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(answer.getHeaders().containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(answer.getBody())
                .isEqualTo(Map.of(
                        "type", "https://mailtrail.dev/problems/unsupported-media-type",
                        "title", "Unsupported media type",
                        "status", 415,
                        "detail", "Send JSON"));
    }

    @Test
    void validationNamesTheField() {
        ResponseEntity<Object> answer = Problems.validation("svix-id", "is over 128 characters");

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        assertThat(answer.getBody())
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("type", "https://mailtrail.dev/problems/validation")
                .containsEntry("errors", List.of(Map.of("field", "svix-id", "message", "is over 128 characters")));
    }
}
