package dev.mailtrail.send.query;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.mailtrail.events.ActivityState;
import java.time.Instant;

/** The state as CRM services read it: every field of the state (null when unknown) plus its badge. */
public record ActivityView(@JsonUnwrapped ActivityState state, Badge badge) {

    public static ActivityView of(ActivityState state, Instant now) {
        return new ActivityView(state, Badge.of(state, now));
    }
}
