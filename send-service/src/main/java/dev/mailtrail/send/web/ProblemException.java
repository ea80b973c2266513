package dev.mailtrail.send.web;

import dev.mailtrail.events.ProblemCode;
import java.util.List;
import java.util.Map;

/** A caller's mistake, answered as RFC 9457 problem+json by {@link ProblemHandler}; never a 5xx. */
public class ProblemException extends RuntimeException {

    private final ProblemCode code;
    private final List<FieldError> errors;

    public ProblemException(ProblemCode code, String detail) {
        this(code, detail, List.of());
    }

    public ProblemException(ProblemCode code, String detail, List<FieldError> errors) {
        super(detail, null, false, false);
        this.code = code;
        this.errors = List.copyOf(errors);
    }

    public static ProblemException validation(List<FieldError> errors) {
        return new ProblemException(
                ProblemCode.VALIDATION, "The request has " + errors.size() + " invalid field(s)", errors);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemCode.NOT_FOUND, detail);
    }

    public ProblemCode code() {
        return code;
    }

    /** The problem+json body, with {@code errors} for validation problems. */
    public Map<String, Object> body() {
        Map<String, Object> body = code.body(getMessage());
        if (!errors.isEmpty()) {
            body.put("errors", errors);
        }
        return body;
    }

    public record FieldError(String field, String message) {}
}
