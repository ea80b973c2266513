package dev.mailtrail.simulator.inbound;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An email the simulated Resend received for one of our domains ({@code POST /_simulator/inbound}). */
public record InboundEmail(
        String id,
        Instant createdAt,
        String from,
        List<String> to,
        String subject,
        Map<String, String> headers,
        String text,
        String messageId) {

    public InboundEmail {
        to = List.copyOf(to);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }
}
