package dev.mailtrail.ingest;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * @param webhookSecrets  every secret is tried, so secrets can be rotated without downtime
 * @param maxBodySize     larger webhook bodies are refused before they are buffered
 * @param publishTimeout  how long a webhook waits for Kafka's acknowledgement before it is answered 503
 * @param ipHashSalt      clients' IPs are only ever kept as salted hashes
 */
@ConfigurationProperties("mailtrail.ingest")
public record IngestProperties(
        List<String> webhookSecrets, DataSize maxBodySize, Duration publishTimeout, String ipHashSalt) {}
