package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState;
import java.time.Instant;

/** Every stored change gets the next version, so readers of the state topic can drop stale copies. */
final class Versions {

    private Versions() {}

    static ActivityState bump(ActivityState s, Instant now) {
        return stamp(s, s.version() + 1, now);
    }

    static ActivityState stamp(ActivityState s, long version, Instant updatedAt) {
        return s.toBuilder().version(version).updatedAt(updatedAt).build();
    }
}
