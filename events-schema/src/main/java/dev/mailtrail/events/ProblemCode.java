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
    UNAVAILABLE("unavailable", 503, "Temporarily unavailable");

    public static final String TYPE_BASE = "https://mailtrail.dev/problems/";

    private final String code;
    private final int status;
    private final String title;

    ProblemCode(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
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
