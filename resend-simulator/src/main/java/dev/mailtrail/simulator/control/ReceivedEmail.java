package dev.mailtrail.simulator.control;

import dev.mailtrail.simulator.store.SentEmail;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * What {@code GET /_simulator/emails} shows for one email: the request as received plus its state. {@code html},
 * {@code text}, {@code tags} and {@code headers} (the email's own headers, Resend's name → value object) are the
 * request's, at the top level so a test reads them without digging; {@code request_headers} are the HTTP request's.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ReceivedEmail(
        String id,
        Instant receivedAt,
        String lastEvent,
        String html,
        String text,
        List<SentEmail.Tag> tags,
        Map<String, String> headers,
        Map<String, String> requestHeaders,
        JsonNode request) {

    static ReceivedEmail of(SentEmail email) {
        return new ReceivedEmail(
                email.id(),
                email.createdAt(),
                email.lastEvent(),
                email.html(),
                email.text(),
                email.tags(),
                email.headers(),
                email.requestHeaders(),
                email.request());
    }
}
