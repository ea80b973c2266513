package dev.mailtrail.ingest.webhook;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * svix-ids whose event Kafka already acknowledged, so Resend's routine re-deliveries are answered without a
 * second publish. Bounded and per instance: a miss only costs a duplicate on the topic, which the
 * deterministic eventId makes harmless downstream.
 */
@Component
public class RecentlyAcknowledged {

    /** Resend retries for about 27.5 h. */
    static final Duration RETENTION = Duration.ofHours(30);

    private final Cache<String, Boolean> ids;

    public RecentlyAcknowledged() {
        this(100_000);
    }

    RecentlyAcknowledged(long maximumSize) {
        this.ids = Caffeine.newBuilder()
                .maximumSize(maximumSize)
                .expireAfterWrite(RETENTION)
                .build();
    }

    public boolean contains(String svixId) {
        return ids.getIfPresent(svixId) != null;
    }

    public void add(String svixId) {
        ids.put(svixId, Boolean.TRUE);
    }
}
