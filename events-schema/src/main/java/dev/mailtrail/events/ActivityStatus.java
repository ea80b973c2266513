package dev.mailtrail.events;

/**
 * The badge of an activity. Declared in rank order, low to high: a state only moves to a higher rank.
 * On the wire as the constant's name.
 */
public enum ActivityStatus {
    QUEUED,
    SCHEDULED,
    SENT,
    DELIVERY_DELAYED,
    DELIVERED,
    OPENED,
    CLICKED,
    REPLIED,
    SUPPRESSED,
    FAILED,
    BOUNCED,
    COMPLAINED;

    public int rank() {
        return ordinal();
    }

    public ActivityStatus max(ActivityStatus other) {
        return other == null || rank() >= other.rank() ? this : other;
    }
}
