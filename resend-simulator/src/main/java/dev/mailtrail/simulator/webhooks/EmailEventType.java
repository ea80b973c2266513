package dev.mailtrail.simulator.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** The Resend email events the simulator can emit. */
public enum EmailEventType {
    SENT("email.sent", "sent", null),
    DELIVERED("email.delivered", "delivered", null),
    DELIVERY_DELAYED("email.delivery_delayed", "delivery_delayed", null),
    BOUNCED("email.bounced", "bounced", "bounce"),
    COMPLAINED("email.complained", "complained", null),
    OPENED("email.opened", "opened", null),
    CLICKED("email.clicked", "clicked", "click"),
    FAILED("email.failed", "failed", "failed"),
    SUPPRESSED("email.suppressed", "suppressed", "suppressed"),
    /** Inbound mail ({@code /_simulator/inbound}), never part of a sent email's scenario. */
    RECEIVED("email.received", "received", null);

    private final String wireName;
    private final String lastEvent;
    private final String detailField;

    EmailEventType(String wireName, String lastEvent, String detailField) {
        this.wireName = wireName;
        this.lastEvent = lastEvent;
        this.detailField = detailField;
    }

    /** The webhook's {@code type}, e.g. {@code email.sent}. */
    public String wireName() {
        return wireName;
    }

    /** The value Resend's retrieve API reports as {@code last_event} after this event, e.g. {@code sent}. */
    public String lastEvent() {
        return lastEvent;
    }

    /** The {@code data} field carrying this event's details ({@code bounce}, {@code click}, ...), if it has one. */
    public Optional<String> detailField() {
        return Optional.ofNullable(detailField);
    }

    /** The type whose wire name is {@code wireName} ({@code email.opened}, ...). */
    public static Optional<EmailEventType> ofWireName(String wireName) {
        return Arrays.stream(values())
                .filter(type -> type.wireName.equals(wireName))
                .findFirst();
    }
}
