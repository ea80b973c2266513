package dev.mailtrail.send.query;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Where a page ended in a keyset order of (time, id), opaque to callers: the activity listing's (sent time,
 * activity id), where {@code at == null} stands for "not sent yet", which sorts first; the timeline's (occurred
 * time, event id). Times in milliseconds, as the wire and the database keep them.
 */
public record PageCursor(Instant at, String id) {

    /** Longer than any activity or event id the service writes (a send fact's id holds two ids). */
    static final int ID_MAX = 512;

    public static PageCursor after(ActivityState last) {
        return new PageCursor(last.sentAt() != null ? last.sentAt() : last.deliveredAt(), last.activityId());
    }

    public static PageCursor after(EmailEvent last) {
        return new PageCursor(last.occurredAt(), last.eventId());
    }

    public String encode() {
        String raw = (at == null ? "-" : Long.toString(at.toEpochMilli())) + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Only what {@link #encode} could have written: a tampered cursor is as unreadable as one that is not base64. */
    public static Optional<PageCursor> decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            String at = raw.substring(0, bar);
            String id = raw.substring(bar + 1);
            Instant time = at.equals("-") ? null : Instant.ofEpochMilli(Long.parseLong(at));
            // a time no page can end at: a made-up cursor, which PostgreSQL would refuse as out of range
            if (id.isEmpty()
                    || id.length() > ID_MAX
                    || WireText.firstForbidden(id, false) >= 0
                    || time != null && !WireJson.inRange(time)) {
                return Optional.empty();
            }
            return Optional.of(new PageCursor(time, id));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
