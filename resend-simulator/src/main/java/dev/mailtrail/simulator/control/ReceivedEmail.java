package dev.mailtrail.simulator.control;

import dev.mailtrail.simulator.store.SentEmail;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** What {@code GET /_simulator/emails} shows for one email: the request as received plus its state. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record ReceivedEmail(
        String id, Instant receivedAt, String lastEvent, Map<String, String> requestHeaders, JsonNode request) {

    static ReceivedEmail of(SentEmail email) {
        return new ReceivedEmail(
                email.id(), email.createdAt(), email.lastEvent(), email.requestHeaders(), email.request());
    }
}
