package dev.mailtrail.send.query;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.Ids;

/**
 * Where a page ended, in the listing's keyset order (sent time, activity id), opaque to callers.
 * {@code sent == null} stands for "not sent yet", which sorts first.
 */
public record ListCursor(Instant sent, String activityId) {

    /** Sent times are event times, which the projection keeps to the years 1970-9999. */
    private static final long LATEST_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    public static ListCursor after(ActivityState last) {
        return new ListCursor(last.sentAt() != null ? last.sentAt() : last.deliveredAt(), last.activityId());
    }

    public String encode() {
        String raw = (sent == null ? "-" : Long.toString(sent.toEpochMilli())) + "|" + activityId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Only what {@link #encode} could have written: a tampered cursor is as unreadable as one that is not base64. */
    public static Optional<ListCursor> decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            String sent = raw.substring(0, bar);
            String activityId = raw.substring(bar + 1);
            long millis = sent.equals("-") ? 0 : Long.parseLong(sent);
            if (!Ids.isValid(activityId) || millis < 0 || millis > LATEST_MILLIS) {
                return Optional.empty();
            }
            return Optional.of(new ListCursor(sent.equals("-") ? null : Instant.ofEpochMilli(millis), activityId));
        }
        catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
