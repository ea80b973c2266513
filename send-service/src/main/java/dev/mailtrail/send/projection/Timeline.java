package dev.mailtrail.send.projection;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mailtrail.events.EmailEvent;

/**
 * An activity's timeline from its applied events (DESIGN rule 4): each single-shot fact (queued, scheduled,
 * sent, delivered, bounced, complained, failed, suppressed) once — its earliest occurrence, whatever the
 * source — and opens, clicks and delays once per distinct eventId, machine ones included (their
 * {@code client.classification} says so). Oldest first; a function of the set of events, like the state.
 */
public final class Timeline {

    private Timeline() {
    }

    public static List<EmailEvent> of(Collection<EmailEvent> events) {
        Map<Object, EmailEvent> entries = new HashMap<>();
        for (EmailEvent e : events) {
            Object key = e.type().singleShot() ? e.type() : e.eventId();
            entries.merge(key, e, (a, b) -> ActivityFold.ORDER.compare(a, b) <= 0 ? a : b);
        }
        return entries.values().stream().sorted(ActivityFold.ORDER).toList();
    }
}
