package dev.mailtrail.simulator.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * An email the simulator accepted.
 *
 * @param requestHeaders the request headers worth inspecting in tests (e.g. {@code Idempotency-Key})
 * @param request        the JSON body exactly as received
 * @param lastEvent      Resend's {@code last_event}: {@code queued}, then the latest event emitted ({@code delivered}, ...)
 */
public record SentEmail(
        String id,
        Instant createdAt,
        String from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        List<String> replyTo,
        String subject,
        String html,
        String text,
        Map<String, String> headers,
        List<Tag> tags,
        String scheduledAt,
        Map<String, String> requestHeaders,
        JsonNode request,
        String lastEvent) {

    public record Tag(String name, String value) {}

    public SentEmail {
        to = List.copyOf(to);
        cc = cc == null ? null : List.copyOf(cc);
        bcc = bcc == null ? null : List.copyOf(bcc);
        replyTo = replyTo == null ? null : List.copyOf(replyTo);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        tags = tags == null ? List.of() : List.copyOf(tags);
        requestHeaders = requestHeaders == null ? Map.of() : Map.copyOf(requestHeaders);
    }

    /**
     * The email's RFC 5322 Message-ID, as Resend reports it ({@code message_id}) from {@code email.sent} on:
     * derived from the id, so it is stable for the email's life without another field to carry.
     */
    public String messageId() {
        return "<" + id + "@simulator.resend.dev>";
    }

    public SentEmail withLastEvent(String event) {
        return new SentEmail(
                id,
                createdAt,
                from,
                to,
                cc,
                bcc,
                replyTo,
                subject,
                html,
                text,
                headers,
                tags,
                scheduledAt,
                requestHeaders,
                request,
                event);
    }
}
