package dev.mailtrail.ingest.client;

import dev.mailtrail.events.WireText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the edge knows about one pixel load or link follow: the method, the user agent, the prefetch hints
 * and the client's address (never stored: only hashed). The agent and the hints are a client's text, so they are
 * cleaned here ({@link WireText#sanitize}), before anything classifies or publishes them.
 */
public record ClientHit(String method, String userAgent, String ip, Map<String, String> hints) {

    /** Headers that announce a prefetch or preview, lower-case. */
    public static final List<String> HINT_HEADERS = List.of("purpose", "sec-purpose", "x-purpose", "x-moz");

    public ClientHit {
        userAgent = WireText.sanitize(userAgent, WireText.USER_AGENT_MAX);
        hints = hints == null || hints.isEmpty() ? Map.of() : Map.copyOf(cleaned(hints));
    }

    public static ClientHit get(String userAgent, String ip) {
        return new ClientHit("GET", userAgent, ip, Map.of());
    }

    /** A rough count of the heap this hit holds, for byte-bounded buffers. */
    public long footprint() {
        long hintBytes = 0;
        for (Map.Entry<String, String> hint : hints.entrySet()) {
            hintBytes += Footprint.of(hint.getKey()) + Footprint.of(hint.getValue());
        }
        return Footprint.OBJECT + Footprint.of(method) + Footprint.of(userAgent) + Footprint.of(ip) + hintBytes;
    }

    private static Map<String, String> cleaned(Map<String, String> hints) {
        Map<String, String> clean = new LinkedHashMap<>();
        // hint values are only matched against, never published; capping them keeps that matching cheap
        hints.forEach((name, value) -> clean.put(name, WireText.sanitize(value, WireText.USER_AGENT_MAX)));
        return clean;
    }
}
