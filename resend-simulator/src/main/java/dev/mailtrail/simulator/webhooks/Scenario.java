package dev.mailtrail.simulator.webhooks;

import static dev.mailtrail.simulator.webhooks.EmailEventType.BOUNCED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.CLICKED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.COMPLAINED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.DELIVERED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.DELIVERY_DELAYED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.FAILED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.OPENED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.SENT;
import static dev.mailtrail.simulator.webhooks.EmailEventType.SUPPRESSED;

import dev.mailtrail.simulator.Addresses;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What happens to an email, chosen by its first recipient. The first four mirror Resend's {@code @resend.dev} test
 * addresses (a suppressed recipient is never sent to, so only {@code email.suppressed}); the others are the
 * simulator's own, for engagement and failures Resend's test addresses cannot produce.
 */
public enum Scenario {
    DELIVER("delivered", SENT, DELIVERED),
    BOUNCE("bounced", SENT, BOUNCED),
    COMPLAIN("complained", SENT, DELIVERED, COMPLAINED),
    SUPPRESS("suppressed", SUPPRESSED),
    OPEN("opened", SENT, DELIVERED, OPENED),
    CLICK("clicked", SENT, DELIVERED, OPENED, CLICKED),
    DELAY("delayed", SENT, DELIVERY_DELAYED, DELIVERED),
    FAIL("failed", FAILED);

    private final String localPart;
    private final List<EmailEventType> events;

    Scenario(String localPart, EmailEventType... events) {
        this.localPart = localPart;
        this.events = List.of(events);
    }

    /** The events emitted for the email, in order. */
    public List<EmailEventType> events() {
        return events;
    }

    /**
     * The scenario for a recipient ({@code addr} or {@code Name <addr>}, any case). Like Resend, a {@code +label}
     * is allowed ({@code bounced+run42@resend.dev}); any other address is delivered.
     */
    public static Scenario forRecipient(String recipient) {
        String address = Addresses.bare(recipient).toLowerCase(Locale.ROOT);
        int at = address.lastIndexOf('@');
        if (at < 0 || !address.substring(at + 1).equals("resend.dev")) {
            return DELIVER;
        }
        String local = address.substring(0, at);
        int plus = local.indexOf('+');
        String name = plus < 0 ? local : local.substring(0, plus);
        return Arrays.stream(values())
                .filter(s -> s.localPart.equals(name))
                .findFirst()
                .orElse(DELIVER);
    }
}
