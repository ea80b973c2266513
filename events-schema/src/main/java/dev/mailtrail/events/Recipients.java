package dev.mailtrail.events;

import java.util.Map;
import java.util.OptionalInt;

/**
 * How an email sent as one message per recipient names the recipient of each message: its index (to, then cc, then
 * bcc, in the order the sender listed them, duplicates dropped) in the tag {@value #TAG} on the provider's message,
 * on the send-service's facts and on our tracking hits. An email sent as one message carries no such tag.
 */
public final class Recipients {

    /** The tag, a Resend tag too (its values allow only {@code [A-Za-z0-9_-]}: the index in decimal). */
    public static final String TAG = "recipient_index";
    /**
     * On the send-service's queued fact of such an email (which lists every recipient in index order): how many
     * recipients, and messages, it has.
     */
    public static final String COUNT_TAG = "mailtrail_recipients";
    /** to, cc and bcc hold at most 50 addresses each: an index at or past this is nobody's. */
    public static final int MAX = 150;

    private Recipients() {}

    /** The recipient an event names: a tag of 1 to 3 decimal digits below {@link #MAX}, else none (never trusted). */
    public static OptionalInt of(Map<String, String> tags) {
        String value = tags.get(TAG);
        if (value == null
                || value.isEmpty()
                || value.length() > 3
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalInt.empty();
        }
        int index = Integer.parseInt(value);
        return index < MAX ? OptionalInt.of(index) : OptionalInt.empty();
    }

    /** The tags naming recipient {@code index}. */
    public static Map<String, String> tag(int index) {
        if (index < 0 || index >= MAX) {
            throw new IllegalArgumentException("recipient index out of range: " + index);
        }
        return Map.of(TAG, Integer.toString(index));
    }
}
