package dev.mailtrail.simulator.webhooks;

/** The Resend email events the simulator can emit. */
public enum EmailEventType {
    SENT("email.sent", "sent"),
    DELIVERED("email.delivered", "delivered"),
    BOUNCED("email.bounced", "bounced"),
    COMPLAINED("email.complained", "complained");

    private final String wireName;
    private final String lastEvent;

    EmailEventType(String wireName, String lastEvent) {
        this.wireName = wireName;
        this.lastEvent = lastEvent;
    }

    /** The webhook's {@code type}, e.g. {@code email.sent}. */
    public String wireName() {
        return wireName;
    }

    /** The value Resend's retrieve API reports as {@code last_event} after this event, e.g. {@code sent}. */
    public String lastEvent() {
        return lastEvent;
    }
}
