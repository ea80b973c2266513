package dev.mailtrail.events;

import java.util.List;
import java.util.Map;

/**
 * A CRM service asks for an email to be sent. Imperative: a request, not a fact. Addresses are in
 * Resend's forms ({@code addr} or {@code Name <addr>}).
 */
public record SendEmailCommand(
        int schemaVersion,
        String activityId,
        String tenantId,
        String from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        String replyTo,
        String subject,
        String html,
        String text,
        Map<String, String> tags,
        Tracking tracking) {

    public static final int SCHEMA_VERSION = 1;

    public SendEmailCommand {
        to = to == null ? List.of() : List.copyOf(to);
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        tracking = tracking == null ? Tracking.OFF : tracking;
    }

    /** Our own open pixel and click redirect; off unless asked. */
    public record Tracking(boolean opens, boolean clicks) {
        public static final Tracking OFF = new Tracking(false, false);
    }
}
