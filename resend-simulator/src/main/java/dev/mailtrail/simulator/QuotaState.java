package dev.mailtrail.simulator;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether sends currently answer Resend's quota errors (switched on demand to exercise a client's quota handling). */
public enum QuotaState {
    NONE,
    DAILY,
    MONTHLY;

    /** {@code none}, {@code daily} or {@code monthly}, as the control API spells it. */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
