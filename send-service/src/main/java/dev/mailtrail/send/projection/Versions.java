package dev.mailtrail.send.projection;

import java.time.Instant;

import dev.mailtrail.events.ActivityState;

/** Every stored change gets the next version, so readers of the state topic can drop stale copies. */
final class Versions {

    private Versions() {
    }

    static ActivityState bump(ActivityState s, Instant now) {
        return stamp(s, s.version() + 1, now);
    }

    static ActivityState stamp(ActivityState s, long version, Instant updatedAt) {
        return new ActivityState(s.schemaVersion(), s.activityId(), s.tenantId(), version, s.status(),
                s.messageId(), s.recipient(), s.subject(), s.openTracking(), s.ownTracking(), s.queuedAt(),
                s.scheduledAt(), s.sentAt(), s.firstDelayedAt(), s.deliveredAt(), s.firstOpenedAt(), s.lastOpenedAt(),
                s.openCount(), s.machineOpenCount(), s.humanOpenCount(), s.openInferred(), s.firstClickedAt(),
                s.lastClickedAt(), s.clickCount(), s.machineClickCount(), s.humanClickCount(), s.links(), s.bouncedAt(),
                s.bounce(), s.complainedAt(), s.failedAt(), s.failureReason(), s.suppressedAt(), updatedAt,
                s.recipients());
    }
}
