package dev.mailtrail.ingest.tracking;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param keys             {@code kid:base64key,...}; the first signs, all verify
 * @param networksFile     replaces the shipped machine-network snapshot when set
 * @param relayRangesFile  Apple's iCloud Private Relay egress ranges ({@code egress-ip-ranges.csv}); none when unset
 * @param dedupeWindow     repeated hits by one client on one token within this window are one event
 * @param agentCacheMemory what the user agent → agent class cache may hold
 * @param buffer           hits waiting for Kafka
 * @param limits           how many hits are recorded (every hit is answered)
 */
@ConfigurationProperties("mailtrail.tracking")
public record TrackingProperties(
        String keys,
        String networksFile,
        String relayRangesFile,
        Duration dedupeWindow,
        DataSize agentCacheMemory,
        Buffer buffer,
        Limits limits) {

    /**
     * @param memory        what waiting hits may hold; a hit that does not fit is counted and dropped
     * @param shutdownFlush how long a stopping instance keeps publishing what it holds; the rest is counted lost
     */
    public record Buffer(DataSize memory, Duration shutdownFlush) {}

    /**
     * @param clientPerMinute hits recorded per token and client IP
     * @param tokenPerHour    hits recorded per token, from all clients together
     * @param memory          what the token and client buckets may hold (idle ones are forgotten first)
     */
    public record Limits(int clientPerMinute, int tokenPerHour, DataSize memory) {}
}
