package dev.mailtrail.send.resend;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mailtrail.events.CallerTags;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.WireJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of Resend's {@code POST /emails} (and one element of a batch) for a command. Written once, at
 * acceptance, and stored: every attempt sends these bytes.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ResendEmail(
        String from,
        List<String> to,
        List<String> cc,
        List<String> bcc,
        @JsonProperty("reply_to") String replyTo,
        String subject,
        String html,
        String text,
        Map<String, String> headers,
        List<Tag> tags) {

    /**
     * Resend's tags that link its webhooks to the activity (and, on one recipient's message, to the recipient); the
     * caller may not use these names.
     */
    public static final List<String> OWN_TAGS = CallerTags.PROVIDER;

    /** How many tags of the caller fit next to ours under Resend's limit of 75. */
    public static final int MAX_CALLER_TAGS = CallerTags.MAX;

    public record Tag(String name, String value) {}

    /**
     * {@code html} is what we send, possibly rewritten for tracking; {@code headers}, the message's own (one-click
     * unsubscribe), none when empty; the caller's tags follow ours, by name.
     */
    public static String json(SendEmailCommand command, String html, Map<String, String> headers) {
        ResendEmail email = new ResendEmail(
                command.from(),
                command.to(),
                command.cc(),
                command.bcc(),
                command.replyTo(),
                command.subject(),
                html,
                command.text(),
                headers,
                tags(command, null));
        return WireJson.mapper().writeValueAsString(email);
    }

    /**
     * One recipient's own message: to that address alone (no cc or bcc: every other recipient has a message of its
     * own), its index in the {@value Recipients#TAG} tag.
     */
    public static String json(
            SendEmailCommand command, String html, Map<String, String> headers, String address, int recipient) {
        ResendEmail email = new ResendEmail(
                command.from(),
                List.of(address),
                List.of(),
                List.of(),
                command.replyTo(),
                command.subject(),
                html,
                command.text(),
                headers,
                tags(command, recipient));
        return WireJson.mapper().writeValueAsString(email);
    }

    private static List<Tag> tags(SendEmailCommand command, Integer recipient) {
        List<Tag> tags = new ArrayList<>();
        tags.add(new Tag(OWN_TAGS.get(0), command.activityId()));
        tags.add(new Tag(OWN_TAGS.get(1), command.tenantId()));
        if (recipient != null) {
            Recipients.tag(recipient).forEach((name, value) -> tags.add(new Tag(name, value)));
        }
        new TreeMap<>(command.tags()).forEach((name, value) -> tags.add(new Tag(name, value)));
        return tags;
    }
}
