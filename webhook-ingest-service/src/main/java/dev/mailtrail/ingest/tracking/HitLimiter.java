package dev.mailtrail.ingest.tracking;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.ingest.client.Footprint;
import dev.mailtrail.ingest.tracking.TrackingMetrics.Dropped;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * How many hits are recorded: per token and client IP, and per token from all clients together (token buckets,
 * Bucket4j). A flood on one link then costs the pipeline a bounded number of events whatever it sends. The buckets
 * live in a cache bounded in bytes; one idle for its whole period is full again, so forgetting it changes nothing.
 */
@Component
public class HitLimiter {

    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration HOUR = Duration.ofHours(1);
    /** A local lock-free bucket with its configuration and state, plus this cache's key and node. */
    private static final long BUCKET_BYTES = 384;

    /** {@code ip} is null for a token's own bucket. */
    private record Key(TrackingToken token, String ip) {}

    private final Bandwidth perClient;
    private final Bandwidth perToken;
    private final TimeMeter time;
    private final Cache<Key, Bucket> buckets;

    public HitLimiter(TrackingProperties properties, Clock clock) {
        TrackingProperties.Limits limits = properties.limits();
        // built here, so a limit that is not positive stops start-up instead of failing every hit
        this.perClient = Bandwidth.builder()
                .capacity(limits.clientPerMinute())
                .refillGreedy(limits.clientPerMinute(), MINUTE)
                .build();
        this.perToken = Bandwidth.builder()
                .capacity(limits.tokenPerHour())
                .refillGreedy(limits.tokenPerHour(), HOUR)
                .build();
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                return Math.multiplyExact(clock.millis(), 1_000_000L);
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
        this.buckets = Caffeine.newBuilder()
                .maximumWeight(limits.memory().toBytes())
                .weigher((Key key, Bucket bucket) -> Footprint.weight(BUCKET_BYTES
                        + Footprint.of(key.ip())
                        + Footprint.of(key.token().activityId())
                        + Footprint.of(key.token().tenantId())
                        + Footprint.of(key.token().url())))
                .expireAfter(Expiry.accessing((Key key, Bucket bucket) -> key.ip() == null ? HOUR : MINUTE))
                .build();
    }

    /** Why this hit is not to be recorded, or empty when it is; a recorded hit takes one from both buckets. */
    public Optional<Dropped> limit(TrackingToken token, String ip) {
        if (!bucket(new Key(token, ip == null ? "" : ip), perClient).tryConsume(1)) {
            return Optional.of(Dropped.CLIENT_RATE);
        }
        if (!bucket(new Key(token, null), perToken).tryConsume(1)) {
            return Optional.of(Dropped.TOKEN_RATE);
        }
        return Optional.empty();
    }

    /** What the buckets take now, by their weights. */
    long heldBytes() {
        buckets.cleanUp();
        return buckets.policy().eviction().orElseThrow().weightedSize().orElseThrow();
    }

    private Bucket bucket(Key key, Bandwidth limit) {
        return buckets.get(
                key,
                k -> Bucket.builder()
                        .addLimit(limit)
                        .withCustomTimePrecision(time)
                        .build());
    }
}
