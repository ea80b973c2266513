package dev.mailtrail.simulator.webhooks;

import static dev.mailtrail.simulator.webhooks.EmailEventType.BOUNCED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.COMPLAINED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.DELIVERED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.SENT;

import java.util.List;
import java.util.Locale;

import dev.mailtrail.simulator.Addresses;

/** What happens to an email, chosen by its first recipient the way Resend treats its {@code @resend.dev} test addresses. */
public enum Scenario {
    DELIVER(SENT, DELIVERED),
    BOUNCE(SENT, BOUNCED),
    COMPLAIN(SENT, DELIVERED, COMPLAINED);

    private final List<EmailEventType> events;

    Scenario(EmailEventType... events) {
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
        return switch (plus < 0 ? local : local.substring(0, plus)) {
            case "bounced" -> BOUNCE;
            case "complained" -> COMPLAIN;
            default -> DELIVER;
        };
    }
}
