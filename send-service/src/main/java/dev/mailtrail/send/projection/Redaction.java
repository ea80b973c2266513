package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * What an erase leaves of a fact or a state: its type, times, counts and classification; no address, subject, link
 * URL, bounce or failure message, client IP hash or user agent. The state keeps {@link RecipientPrivacy#ERASED_PREFIX}
 * and the recipient's hash where the address was, so later events of the activity are stripped too.
 */
public final class Redaction {

    private Redaction() {}

    public static EmailEvent strip(EmailEvent e) {
        return e.toBuilder()
                .recipients(null)
                .subject(null)
                .click(
                        e.click() == null
                                ? null
                                : new EmailEvent.Click(null, e.click().linkIndex()))
                .bounce(e.bounce() == null ? null : bounce(e.bounce()))
                .failure(e.failure() == null ? null : new EmailEvent.Failure(null))
                .client(
                        e.client() == null
                                ? null
                                : new EmailEvent.Client(
                                        null,
                                        null,
                                        e.client().classification(),
                                        e.client().reasons()))
                .build();
    }

    /**
     * The state without the person's data, as the next version: their address (wherever {@code person} matches it)
     * becomes {@code erasedAs} (the marker and their hash); subject, link URLs, bounce and failure messages go for
     * every recipient, as they are the email's, not one recipient's. {@code updatedAt} stays: an erase is not a fact,
     * and must not restart the retention period.
     */
    public static ActivityState redact(ActivityState s, Predicate<String> person, String erasedAs) {
        return s.toBuilder()
                .version(s.version() + 1)
                .recipient(s.recipient() != null && person.test(s.recipient()) ? erasedAs : s.recipient())
                .subject(null)
                // a placeholder per link, not null: the per-link counts stay apart, and the fold keys on it
                .links(IntStream.range(0, s.links().size())
                        .mapToObj(i -> new ActivityState.LinkClicks(
                                RecipientPrivacy.ERASED_PREFIX + "link-" + (i + 1),
                                s.links().get(i).clicks(),
                                s.links().get(i).machineClicks()))
                        .toList())
                .bounce(s.bounce() == null ? null : bounce(s.bounce()))
                .failureReason(null)
                .recipients(s.recipients().stream()
                        .map(r -> r.toBuilder()
                                .email(r.email() != null && person.test(r.email()) ? erasedAs : r.email())
                                .bounce(r.bounce() == null ? null : bounce(r.bounce()))
                                .failureReason(null)
                                .build())
                        .toList())
                .build();
    }

    /** Whether an erase redacted this state. */
    public static boolean erased(ActivityState s) {
        return s.recipient() != null && s.recipient().startsWith(RecipientPrivacy.ERASED_PREFIX)
                || s.recipients().stream()
                        .anyMatch(r -> r.email() != null && r.email().startsWith(RecipientPrivacy.ERASED_PREFIX));
    }

    private static EmailEvent.Bounce bounce(EmailEvent.Bounce b) {
        return new EmailEvent.Bounce(b.type(), b.subType(), null, b.hard());
    }
}
