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

    /** The status an event of this type reaches, before engagement classification is considered. */
    public static ActivityStatus reachedBy(EmailEventType type) {
        return switch (type) {
            case QUEUED -> QUEUED;
            case SCHEDULED -> SCHEDULED;
            case SENT -> SENT;
            case DELIVERY_DELAYED -> DELIVERY_DELAYED;
            case DELIVERED -> DELIVERED;
            case OPENED -> OPENED;
            case CLICKED -> CLICKED;
            case SUPPRESSED -> SUPPRESSED;
            case FAILED -> FAILED;
            case BOUNCED -> BOUNCED;
            case COMPLAINED -> COMPLAINED;
        };
    }
}
