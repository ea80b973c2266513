package dev.mailtrail.send.query;

import dev.mailtrail.events.AutoReplyKind;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import java.time.Instant;
import java.util.List;

/** One fact on an activity's timeline. */
public record TimelineEntry(
        String eventId,
        EmailEventType type,
        Instant occurredAt,
        EventSource source,
        String link,
        Classification classification,
        List<String> reasons,
        AutoReplyKind autoReply) {

    public static TimelineEntry of(EmailEvent e) {
        return new TimelineEntry(
                e.eventId(),
                e.type(),
                e.occurredAt(),
                e.source(),
                e.click() == null ? null : e.click().url(),
                e.classification(),
                e.client() == null ? List.of() : e.client().reasons(),
                // what an auto-reply was (out of office, ...); an auto-reply shows only here, never in the state
                e.reply() == null ? null : e.reply().kind());
    }

    /**
     * A page of the timeline: {@code nextCursor} null on the last; {@code unlisted}: the opens and clicks beyond the
     * activity's payload cap, counted in its state but listed on no page ("and N more").
     */
    public record Timeline(String activityId, List<TimelineEntry> events, String nextCursor, Unlisted unlisted) {}

    public record Unlisted(long opens, long clicks) {}
}
