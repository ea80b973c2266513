package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Recipients;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole timeline of a set of events, every open and click listed (DESIGN rule 4): what the pages of the
 * timeline API add up to while an activity is under its payload cap. Single-shot facts once at their earliest (per
 * recipient, when the email went out as one message per recipient);
 * opens, clicks and delays once per eventId, opens and clicks in context of the set.
 */
final class Timelines {

    private Timelines() {}

    static List<EmailEvent> of(Collection<EmailEvent> events, EngagementRules rules) {
        Map<Object, EmailEvent> entries = new HashMap<>();
        Instant deliveredAt = null;
        for (EmailEvent e : events) {
            if (!Engagement.counts(e)) {
                entries.merge(
                        e.type().singleShot()
                                ? List.of(e.type(), e.tags().getOrDefault(Recipients.TAG, ""))
                                : e.eventId(),
                        e,
                        Timelines::earlier);
            }
            if (e.type() == EmailEventType.DELIVERED
                    && (deliveredAt == null || e.occurredAt().isBefore(deliveredAt))) {
                deliveredAt = e.occurredAt();
            }
        }
        return Stream.concat(entries.values().stream(), hits(events, deliveredAt, rules).stream())
                .sorted(Timeline.ORDER)
                .toList();
    }

    /**
     * The distinct opens and clicks among the events, oldest first, each in context of them, the delivery and what
     * they say our own tracking observes (the provider's hits that corroborate ours are in no burst).
     */
    static List<EmailEvent> hits(Collection<EmailEvent> events, Instant deliveredAt, EngagementRules rules) {
        Map<String, EmailEvent> hits = new HashMap<>();
        events.stream().filter(Engagement::counts).forEach(e -> hits.merge(e.eventId(), e, Timelines::earlier));
        Map<String, Boolean> bursts = new HashMap<>();
        Engagement.judged(
                        hits.values().stream().map(Hit::of).toList(),
                        Corroboration.observed(OwnTracking.NONE, events),
                        rules)
                .forEach(h -> bursts.put(h.eventId(), h.burst()));
        Instant scannerUntil = rules.scannerUntil(deliveredAt);
        return hits.values().stream()
                .map(e -> Engagement.inContext(e, bursts.get(e.eventId()), scannerUntil))
                .sorted(Timeline.ORDER)
                .toList();
    }

    private static EmailEvent earlier(EmailEvent a, EmailEvent b) {
        return Timeline.ORDER.compare(a, b) <= 0 ? a : b;
    }
}
