package dev.mailtrail.send.privacy;

import dev.mailtrail.events.ActivityKey;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * One store's part of an erase by recipient ({@link Erasure}), run in the erase's transactions. A store kept per
 * activity redacts a page of the person's activities; a store kept per address (parked events, a suppression list)
 * acts once per erase. A new store joins by being one more {@code @Component} implementing this.
 */
public interface ErasureStep {

    /** The recipient erased: tenant, normalised address and its salted hash. */
    record Request(String tenantId, String address, String hash) {}

    /** A page of the person's activities (their states are redacted after every step ran, same transaction). */
    default Mono<Void> activities(Request request, List<ActivityKey> page) {
        return Mono.empty();
    }

    /** Once per erase, after the activities: what is kept by address rather than by activity. */
    default Mono<Void> address(Request request) {
        return Mono.empty();
    }
}
