package dev.mailtrail.events;

import java.util.Comparator;
import java.util.Objects;

/**
 * An activity's identity. Activity ids are the CRM's and unique only within a tenant: the same id in two tenants is
 * two activities. {@link #value()} is the one text form (the Kafka key of an activity's events and state, the
 * projection's internal key): {@code tenantId:activityId}, unambiguous since neither id may hold a colon
 * ({@link Ids#RULE}). Activities recorded before identity was scoped that never named a tenant carry the empty one.
 */
public record ActivityKey(String tenantId, String activityId) implements Comparable<ActivityKey> {

    private static final char SEPARATOR = ':';
    private static final Comparator<ActivityKey> ORDER =
            Comparator.comparing(ActivityKey::tenantId).thenComparing(ActivityKey::activityId);

    public ActivityKey {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(activityId, "activityId");
    }

    public static ActivityKey of(ActivityState state) {
        return new ActivityKey(state.tenantId() == null ? "" : state.tenantId(), state.activityId());
    }

    /** The key {@link #value()} wrote. */
    public static ActivityKey parse(String value) {
        int at = value.indexOf(SEPARATOR);
        if (at < 0) {
            throw new IllegalArgumentException("not an activity key");
        }
        return new ActivityKey(value.substring(0, at), value.substring(at + 1));
    }

    public String value() {
        return tenantId + SEPARATOR + activityId;
    }

    @Override
    public int compareTo(ActivityKey other) {
        return ORDER.compare(this, other);
    }
}
