package dev.mailtrail.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What an automatic reply is (RFC 3834 and common practice), shown with it in the timeline. */
public enum AutoReplyKind implements WireValue {
    /** Vacation / out-of-office notices. */
    OUT_OF_OFFICE("out_of_office"),
    /** Auto-responders: ticket systems, "we received your message". */
    AUTO_RESPONDER("auto_responder"),
    /** Delivery status notifications (RFC 3464) that came back as a reply rather than a bounce. */
    DELIVERY_STATUS("delivery_status"),
    /** Marked automatic (Auto-Submitted, Precedence bulk/junk, ...) and nothing more specific. */
    OTHER("other");

    private final String wire;

    AutoReplyKind(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static AutoReplyKind fromWire(String wire) {
        return WireValue.require(AutoReplyKind.class, wire);
    }
}
