package dev.mailtrail.ingest.tracking;

import java.time.Duration;

import org.springframework.util.unit.DataSize;

/** Tracking settings for tests built without Spring: application.yml's defaults, except what a test sets. */
final class Trackings {

    static final DataSize AGENT_CACHE = DataSize.ofBytes(Classifiers.AGENT_CACHE_BYTES);

    private Trackings() {
    }

    static TrackingProperties properties(int clientPerMinute, int tokenPerHour, DataSize limiterMemory) {
        return new TrackingProperties(null, null, Duration.ofSeconds(30), AGENT_CACHE,
                buffer(DataSize.ofMegabytes(16), Duration.ofSeconds(5)),
                new TrackingProperties.Limits(clientPerMinute, tokenPerHour, limiterMemory));
    }

    static TrackingProperties.Buffer buffer(DataSize memory, Duration shutdownFlush) {
        return new TrackingProperties.Buffer(memory, shutdownFlush);
    }
}
