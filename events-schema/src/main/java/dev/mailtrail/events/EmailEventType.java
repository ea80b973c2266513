package dev.mailtrail.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What happened to an email. Past tense: these are facts. */
public enum EmailEventType implements WireValue {
    QUEUED("queued"),
    SCHEDULED("scheduled"),
    SENT("sent"),
    DELIVERED("delivered"),
    DELIVERY_DELAYED("delivery_delayed"),
    OPENED("opened"),
    CLICKED("clicked"),
    BOUNCED("bounced"),
    COMPLAINED("complained"),
    FAILED("failed"),
    SUPPRESSED("suppressed"),
    UNSUBSCRIBED("unsubscribed"),
    // schema 3: replies (issue 25)
    REPLIED("replied"),
    AUTO_REPLIED("auto_replied"),
    /** An inbound email (Resend {@code email.received}), no activity yet: for the reply matcher, never folded. */
    INBOUND_RECEIVED("inbound_received");

    private final String wire;

    EmailEventType(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static EmailEventType fromWire(String wire) {
        return WireValue.require(EmailEventType.class, wire);
    }

    /**
     * Facts that happen at most once per message (once per recipient when each has a message of its own): the
     * timeline shows the earliest.
     */
    public boolean singleShot() {
        return switch (this) {
            case OPENED, CLICKED, DELIVERY_DELAYED, REPLIED, AUTO_REPLIED -> false;
            default -> true;
        };
    }
}
