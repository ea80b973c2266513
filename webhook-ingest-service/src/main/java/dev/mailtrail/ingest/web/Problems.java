package dev.mailtrail.ingest.web;

import dev.mailtrail.events.ProblemCode;
import java.util.List;
import java.util.Map;
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

    /** 400 {@code validation} naming the one field that is wrong, as the send-service names its fields. */
    public static ResponseEntity<Object> validation(String field, String message) {
        Map<String, Object> body = ProblemCode.VALIDATION.body("The request has 1 invalid field(s)");
        body.put("errors", List.of(Map.of("field", field, "message", message)));
        return status(ProblemCode.VALIDATION).body(body);
    }
}
