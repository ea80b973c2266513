package dev.mailtrail.send.accept;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.send.resend.ResendEmail;
import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.tracking.EmailTracking;
import dev.mailtrail.send.tracking.ReplyAddresses;
import dev.mailtrail.send.tracking.UnsubscribeHeaders;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The messages an accepted command goes out as. With our tracking asked for and more than one recipient, one per
 * recipient, so every open, click, delivery and bounce names one person: to, then cc, then bcc, each address once
 * (the first time it is listed), each message to that address alone. The to and cc recipients' messages carry
 * their own tokens; a bcc recipient's message carries none (a blind copy was never meant to be followed), but its
 * one-click unsubscribe link, when asked for, names it like every recipient's, as does its reply address
 * ({@link ReplyAddresses}). Any other
 * email is one message, as written.
 *
 * @param recipients the bare addresses, in index order (one message: the to addresses)
 * @param perRecipient whether each recipient has a message of its own
 * @param openTracking whether anybody can observe the email's opens (the same for all its messages)
 * @param own what our own tracking observes in any of its messages
 */
record Copies(
        List<Copy> messages,
        List<String> recipients,
        boolean perRecipient,
        OpenTracking openTracking,
        ActivityState.OwnTracking own) {

    /** One message: its recipient's index (0 for the only message) and its Resend body. */
    record Copy(int index, String email) {}

    static Copies of(
            SendEmailCommand command, EmailTracking tracking, UnsubscribeHeaders unsubscribe, ReplyAddresses replies) {
        return of(command, tracking, unsubscribe, replies, address -> true);
    }

    /**
     * {@code consented}: whether this (bare) address may be tracked; one that may not gets its message without our
     * pixel and wrapped links, and an email with one message declares opens not tracked (Resend's hits on it are
     * counted only anonymously, see the projection's PrivacyFilter).
     */
    static Copies of(
            SendEmailCommand command,
            EmailTracking tracking,
            UnsubscribeHeaders unsubscribe,
            ReplyAddresses replies,
            Predicate<String> consented) {
        Map<String, String> distinct = new LinkedHashMap<>();
        List<String> tracked =
                Stream.concat(command.to().stream(), command.cc().stream()).toList();
        Stream.of(tracked, command.bcc())
                .flatMap(List::stream)
                .forEach(address -> distinct.putIfAbsent(bare(address).toLowerCase(Locale.ROOT), address));
        if (!EmailTracking.asked(command) || distinct.size() < 2) {
            EmailTracking.Prepared prepared = tracked.stream().map(Copies::bare).allMatch(consented)
                    ? tracking.prepare(command)
                    : EmailTracking.asked(command) ? NO_CONSENT.apply(command.html()) : UNTRACKED.apply(command.html());
            return new Copies(
                    List.of(new Copy(
                            0,
                            ResendEmail.json(
                                    command.withReplyTo(replies.replyTo(command, null)),
                                    prepared.html(),
                                    unsubscribe.headers(command, null)))),
                    command.to().stream().map(Copies::bare).toList(),
                    false,
                    prepared.openTracking(),
                    prepared.own());
        }
        long trackedCount = tracked.stream()
                .map(a -> bare(a).toLowerCase(Locale.ROOT))
                .distinct()
                .count();
        List<Copy> messages = new ArrayList<>(distinct.size());
        List<String> recipients = new ArrayList<>(distinct.size());
        OpenTracking openTracking = OpenTracking.NOT_TRACKED;
        boolean pixel = false;
        boolean wrapped = false;
        boolean refused = false;
        int index = 0;
        for (String address : distinct.values()) {
            String html = command.html();
            boolean consents = consented.test(bare(address));
            refused |= index < trackedCount && !consents;
            if (index < trackedCount && consents) {
                EmailTracking.Prepared prepared = tracking.prepare(command, index);
                html = prepared.html();
                openTracking = prepared.openTracking() == OpenTracking.TRACKED ? OpenTracking.TRACKED : openTracking;
                pixel |= prepared.own().opens();
                wrapped |= prepared.own().clicks();
            }
            messages.add(new Copy(
                    index,
                    ResendEmail.json(
                            command.withReplyTo(replies.replyTo(command, index)),
                            html,
                            unsubscribe.headers(command, index),
                            address,
                            index)));
            recipients.add(bare(address));
            index++;
        }
        // no copy tracked though tracking was asked for, and consent left some out: that is the note
        return new Copies(
                List.copyOf(messages),
                List.copyOf(recipients),
                true,
                openTracking,
                refused && openTracking == OpenTracking.NOT_TRACKED && !pixel && !wrapped
                        ? ActivityState.OwnTracking.NO_CONSENT
                        : ActivityState.OwnTracking.of(pixel, wrapped));
    }

    private static final java.util.function.Function<String, EmailTracking.Prepared> UNTRACKED =
            html -> new EmailTracking.Prepared(html, OpenTracking.NOT_TRACKED, ActivityState.OwnTracking.NONE);

    private static final java.util.function.Function<String, EmailTracking.Prepared> NO_CONSENT =
            html -> new EmailTracking.Prepared(html, OpenTracking.NOT_TRACKED, ActivityState.OwnTracking.NO_CONSENT);

    private static String bare(String address) {
        return Addresses.bare(address).orElse(address);
    }
}
