package dev.mailtrail.ingest.web;

import dev.mailtrail.events.ProblemCode;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** RFC 9457 answers with the contract's problem types. */
public final class Problems {

    private Problems() {}

    public static ResponseEntity.BodyBuilder status(ProblemCode code) {
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    public static ResponseEntity<Object> of(ProblemCode code, String detail) {
        return status(code).body(code.body(detail));
    }

    /** How long a caller waits before retrying what Kafka did not take in time. */
    public static final String RETRY_AFTER_SECONDS = "5";

    /** 503 {@code unavailable} with Retry-After: the event could not be stored now, the same request later can. */
    public static ResponseEntity<Object> unavailable() {
        return status(ProblemCode.UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(ProblemCode.UNAVAILABLE.body("The event could not be stored right now; retry later"));
    }

    /** 400 {@code validation} naming the one field that is wrong, as the send-service names its fields. */
    public static ResponseEntity<Object> validation(String field, String message) {
        Map<String, Object> body = ProblemCode.VALIDATION.body("The request has 1 invalid field(s)");
        body.put("errors", List.of(Map.of("field", field, "message", message)));
        return status(ProblemCode.VALIDATION).body(body);
    }
}
