package dev.mailtrail.send.suppression;

import com.fasterxml.jackson.annotation.JsonValue;
import dev.mailtrail.events.WireValue;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.stream.Collectors;

/** Why an address is on a tenant's suppression list: the entry's {@code reason}, and the meters' tag. */
public enum Reason implements WireValue {
    /** A hard bounce (Resend's {@code bounce.type = Permanent}). */
    HARD_BOUNCE("hard_bounce"),
    /** The recipient marked an email as spam. */
    COMPLAINT("complaint"),
    /** Resend's {@code email.suppressed}: Resend itself would not send to it. */
    PROVIDER("provider"),
    /** The recipient unsubscribed. */
    UNSUBSCRIBE("unsubscribe"),
    /** Added through the API. */
    MANUAL("manual"),
    /** Soft bounces reached {@code MAILTRAIL_SOFT_BOUNCE_LIMIT} within 30 days. */
    SOFT_BOUNCE_LIMIT("soft_bounce_limit");

    private final String wire;

    Reason(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    /** The state's and timeline's reason of a send they stopped: {@code suppressed: hard_bounce[, complaint]}. */
    public static String suppressed(Collection<Reason> reasons) {
        return "suppressed: " + reasons.stream().map(Reason::wire).distinct().collect(Collectors.joining(", "));
    }

    /** The reason of that wire name, if any (a caller's value is never trusted). */
    public static Optional<Reason> of(String wire) {
        return Arrays.stream(values()).filter(r -> r.wire.equals(wire)).findFirst();
    }
}
