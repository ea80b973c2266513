package dev.mailtrail.send.projection;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;

/**
 * An activity's timeline from its applied events (DESIGN rule 4): each single-shot fact (queued, scheduled,
 * sent, delivered, bounced, complained, failed, suppressed) once — its earliest occurrence, whatever the
 * source — and opens, clicks and delays once per distinct eventId, machine ones included. Opens and clicks carry
 * their classification in context ({@link Engagement}), as the state counts them. Oldest first; a function of the
 * set of events, like the state.
 */
public final class Timeline {

    private Timeline() {
    }

    public static List<EmailEvent> of(Collection<EmailEvent> events, EngagementRules rules) {
        Map<Object, EmailEvent> entries = new HashMap<>();
        Instant deliveredAt = null;
        for (EmailEvent e : events) {
            if (Engagement.counts(e)) {
                continue;
            }
            Object key = e.type().singleShot() ? e.type() : e.eventId();
            entries.merge(key, e, (a, b) -> ActivityFold.ORDER.compare(a, b) <= 0 ? a : b);
            if (e.type() == EmailEventType.DELIVERED
                    && (deliveredAt == null || e.occurredAt().isBefore(deliveredAt))) {
                deliveredAt = e.occurredAt();
            }
        }
        Engagement.inContext(events, deliveredAt, rules).forEach(e -> entries.put(e.eventId(), e));
        return entries.values().stream().sorted(ActivityFold.ORDER).toList();
    }
}
