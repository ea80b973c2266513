package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.ingest.client.ClientHit;
import dev.mailtrail.ingest.client.Footprint;
import java.time.Instant;

/**
 * A recorded hit waiting to become its event: the token as requested and as decoded, the client, when it came,
 * and about how much heap it holds ({@link Footprint}), which is what the buffer is bounded by.
 */
public record PendingHit(String rawToken, TrackingToken token, ClientHit client, Instant at, long footprint) {

    static PendingHit of(String rawToken, TrackingToken token, ClientHit client, Instant at) {
        // this record, the instant, the token record, and the buffer's queue node
        long footprint = 4 * Footprint.OBJECT
                + Footprint.of(rawToken)
                + Footprint.of(token.activityId())
                + Footprint.of(token.tenantId())
                + Footprint.of(token.url())
                + client.footprint();
        return new PendingHit(rawToken, token, client, at, footprint);
    }
}
