package dev.mailtrail.web;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The one rule for a JSON request body's {@code Content-Type}: {@code application/json} or a structured-syntax
 * {@code application/*+json} (RFC 6839), any parameters (charset) allowed. Missing, unreadable or anything else is
 * refused, 415 {@code unsupported-media-type}: a body of no declared type is not read as JSON.
 */
public final class JsonMediaType {

    private JsonMediaType() {}

    public static boolean accepts(ServerHttpRequest request) {
        MediaType type;
        try {
            type = request.getHeaders().getContentType();
        } catch (InvalidMediaTypeException e) {
            return false;
        }
        return type != null
                && MediaType.APPLICATION_JSON.getType().equals(type.getType())
                && (MediaType.APPLICATION_JSON.getSubtype().equals(type.getSubtype())
                        || "json".equals(type.getSubtypeSuffix()));
    }
}
