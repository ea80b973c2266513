package dev.mailtrail.ingest.web;

import dev.mailtrail.events.ProblemCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** RFC 9457 answers with the contract's problem types. */
public final class Problems {

    private Problems() {
    }

    public static ResponseEntity.BodyBuilder status(ProblemCode code) {
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    public static ResponseEntity<Object> of(ProblemCode code, String detail) {
        return status(code).body(code.body(detail));
    }
}
