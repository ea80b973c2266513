package dev.mailtrail.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A CRM service asks for an email to be sent. Imperative: a request, not a fact. Addresses are in
 * Resend's forms ({@code addr} or {@code Name <addr>}). {@code unsubscribe}: whether the email carries RFC 8058
 * one-click unsubscribe headers; absent (null), the sender's default ({@code MAILTRAIL_UNSUBSCRIBE_DEFAULT}).
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
        Tracking tracking,
        // absent rather than null on the wire: a request without it reads, and fingerprints, as it did before
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean unsubscribe) {

    public static final int SCHEMA_VERSION = 1;

    /** A request that leaves one-click unsubscribe to the sender's default. */
    public SendEmailCommand(
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
        this(
                schemaVersion,
                activityId,
                tenantId,
                from,
                to,
                cc,
                bcc,
                replyTo,
                subject,
                html,
                text,
                tags,
                tracking,
                null);
    }

    /** The same request with another Reply-To (the reply address a message goes out with). */
    public SendEmailCommand withReplyTo(String replyTo) {
        return with(to, cc, bcc, replyTo, unsubscribe);
    }

    /** The same request with one-click unsubscribe decided (null: the sender's default). */
    public SendEmailCommand withUnsubscribe(Boolean unsubscribe) {
        return with(to, cc, bcc, replyTo, unsubscribe);
    }

    /** The same request to fewer recipients (every other field kept, whatever fields are added later). */
    public SendEmailCommand withRecipients(List<String> to, List<String> cc, List<String> bcc) {
        return with(to, cc, bcc, replyTo, unsubscribe);
    }

    private SendEmailCommand with(
            List<String> to, List<String> cc, List<String> bcc, String replyTo, Boolean unsubscribe) {
        return new SendEmailCommand(
                schemaVersion,
                activityId,
                tenantId,
                from,
                to,
                cc,
                bcc,
                replyTo,
                subject,
                html,
                text,
                tags,
                tracking,
                unsubscribe);
    }

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
