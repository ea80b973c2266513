package dev.mailtrail.send.projection;

import dev.mailtrail.events.EmailEvent;
import java.util.Comparator;
import java.util.List;

/**
 * A page of an activity's timeline (DESIGN rule 4): each single-shot fact (queued, scheduled, sent, delivered,
 * bounced, complained, failed, suppressed) once — its earliest occurrence, whatever the source — and opens, clicks
 * and delays once per distinct eventId, machine ones included, oldest first. Opens and clicks carry their
 * classification in context ({@link Engagement}), as the state counts them. Opens and clicks beyond the payload
 * cap ({@link EngagementStorage}) are counted, not listed: {@code unlistedOpens}, {@code unlistedClicks}.
 * {@code more}: another page follows the last of {@code events}.
 */
public record Timeline(List<EmailEvent> events, boolean more, long unlistedOpens, long unlistedClicks) {

    /** The order of a timeline: time, then event id. */
    public static final Comparator<EmailEvent> ORDER =
            Comparator.comparing(EmailEvent::occurredAt).thenComparing(EmailEvent::eventId);

    /** The page's last event (where the next begins after), or null when it has none. */
    public EmailEvent last() {
        return events.isEmpty() ? null : events.get(events.size() - 1);
    }
}
