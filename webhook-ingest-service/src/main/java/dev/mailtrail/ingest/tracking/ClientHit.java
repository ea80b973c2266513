package dev.mailtrail.ingest.tracking;

import java.util.Map;

/**
 * What the edge knows about one pixel load or link follow: the method, the user agent, the prefetch hints
 * and the client's address (never stored: only hashed).
 */
public record ClientHit(String method, String userAgent, String ip, Map<String, String> hints) {

    /** Headers that announce a prefetch or preview, lower-case. */
    public static final java.util.List<String> HINT_HEADERS = java.util.List.of("purpose", "sec-purpose", "x-purpose",
            "x-moz");

    public ClientHit {
        hints = hints == null ? Map.of() : Map.copyOf(hints);
    }

    public static ClientHit get(String userAgent, String ip) {
        return new ClientHit("GET", userAgent, ip, Map.of());
    }
}
