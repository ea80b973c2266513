package dev.mailtrail.simulator.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** An API request as it arrived (before authentication), with the API key masked. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RecordedRequest(
        Instant receivedAt, String method, String path, String query, Map<String, List<String>> headers) {}
