package dev.mailtrail.ingest.web;

import dev.mailtrail.events.ProblemCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** RFC 9457 answers with the contract's problem types. */
public final class Problems {

    private Problems() {
    }

    public static ResponseEntity.BodyBuilder status(ProblemCode code) {
        return ResponseEntity.status(HttpStatus.valueOf(code.status())).contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    public static ProblemDetail body(ProblemCode code, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.status()), detail);
        problem.setType(code.type());
        problem.setTitle(code.title());
        return problem;
    }

    public static ResponseEntity<Object> of(ProblemCode code, String detail) {
        return status(code).<Object>body(body(code, detail));
    }
}
