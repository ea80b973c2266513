package dev.mailtrail.events;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The problem types of the HTTP contract (RFC 9457), shared by every service. */
public enum ProblemCode {
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    VALIDATION("validation", 400, "Validation failed"),
    CONFLICT("conflict", 409, "Conflict"),
    NOT_FOUND("not-found", 404, "Not found"),
    INVALID_SIGNATURE("invalid-signature", 401, "Invalid signature"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    MALFORMED_PAYLOAD("malformed-payload", 400, "Malformed payload"),
    UNAVAILABLE("unavailable", 503, "Temporarily unavailable"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    INTERNAL("internal", 500, "Internal error");

    public static final String TYPE_BASE = "https://mailtrail.dev/problems/";

    private final String code;
    private final int status;
    private final String title;

    ProblemCode(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    /**
     * The problem an HTTP status the framework answered on its own (no route, a method or media type a route does
     * not take) is told as: the first code with that status, else {@link #VALIDATION} for another 4xx (the request
     * is what is wrong) and {@link #INTERNAL} for anything else.
     */
    public static ProblemCode forStatus(int status) {
        for (ProblemCode code : values()) {
            if (code.status == status) {
                return code;
            }
        }
        return status >= 400 && status < 500 ? VALIDATION : INTERNAL;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI type() {
        return URI.create(TYPE_BASE + code);
    }

    /** The problem+json body: {@code type}, {@code title}, {@code status}, {@code detail}; add members to the copy. */
    public Map<String, Object> body(String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + code);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }
}
