package dev.mailtrail.web;

import dev.mailtrail.events.ProblemCode;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** RFC 9457 answers a route gives itself, with the contract's problem types. */
public final class Problems {

    /** How long a caller is asked to wait before trying again after a 503. */
    public static final String RETRY_AFTER_SECONDS = "5";

    private Problems() {}

    public static ResponseEntity.BodyBuilder status(ProblemCode code) {
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    public static ResponseEntity<Object> of(ProblemCode code, String detail) {
        return status(code).body(code.body(detail));
    }

    /** 400 {@code validation} naming the one field that is wrong. */
    public static ResponseEntity<Object> validation(String field, String message) {
        Map<String, Object> body = ProblemCode.VALIDATION.body("The request has 1 invalid field(s)");
        body.put("errors", List.of(Map.of("field", field, "message", message)));
        return status(ProblemCode.VALIDATION).body(body);
    }

    /** 503 {@code unavailable} with {@code Retry-After}: nothing was kept, the same request later may succeed. */
    public static ResponseEntity<Object> unavailable(String detail) {
        return status(ProblemCode.UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(ProblemCode.UNAVAILABLE.body(detail));
    }
}
