package dev.mailtrail.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Who observed an {@link EmailEvent}. */
public enum EventSource implements WireValue {
    RESEND_WEBHOOK("resend_webhook"),
    TRACKING_PIXEL("tracking_pixel"),
    TRACKING_REDIRECT("tracking_redirect"),
    SEND_SERVICE("send_service"),
    /** The one-click unsubscribe (RFC 8058) on the tracking edge: {@code POST /u/{token}}. */
    UNSUBSCRIBE_LINK("unsubscribe_link");

    private final String wire;

    EventSource(String wire) {
        this.wire = wire;
    }

    @JsonValue
    @Override
    public String wire() {
        return wire;
    }

    @JsonCreator
    public static EventSource fromWire(String wire) {
        return WireValue.require(EventSource.class, wire);
    }
}
