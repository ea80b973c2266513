package dev.mailtrail.send.suppression;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Recipients;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Which facts put an address on its tenant's list (docs/design.md, "Suppression"): a hard bounce, a complaint,
 * Resend's {@code email.suppressed} (not the send-service's own suppressed fact, which a list entry caused), an
 * unsubscribe; and a soft bounce, which only counts towards {@link Reason#SOFT_BOUNCE_LIMIT}. The address is the one
 * recipient of the message the fact belongs to: the event's own, else (an event naming none) the per-recipient
 * message's recipient from the state. A message to several recipients at once names no one person, so its facts
 * write no entry.
 */
public final class SuppressionSources {

    private SuppressionSources() {}

    /** A fact's would-be entry; {@code soft}: a soft bounce, counted rather than entered. */
    public record Source(Suppression entry, boolean soft) {}

    /** The sources among one activity's new events; {@code current}: its state before them, null if none. */
    public static List<Source> of(ActivityKey key, Collection<EmailEvent> events, ActivityState current) {
        List<Source> sources = new ArrayList<>();
        for (EmailEvent e : events) {
            Optional<Reason> reason = reason(e);
            boolean soft = e.type() == EmailEventType.BOUNCED
                    && (e.bounce() == null || !e.bounce().hard());
            if (reason.isEmpty() && !soft) {
                continue;
            }
            address(e, current)
                    .map(address -> new Suppression(
                            key.tenantId(),
                            address,
                            reason.orElse(Reason.SOFT_BOUNCE_LIMIT),
                            key.activityId(),
                            e.occurredAt()))
                    .ifPresent(entry -> sources.add(new Source(entry, soft)));
        }
        return sources;
    }

    private static Optional<Reason> reason(EmailEvent e) {
        return switch (e.type()) {
            case BOUNCED ->
                e.bounce() != null && e.bounce().hard() ? Optional.of(Reason.HARD_BOUNCE) : Optional.empty();
            case COMPLAINED -> Optional.of(Reason.COMPLAINT);
            case SUPPRESSED ->
                e.source() == EventSource.RESEND_WEBHOOK ? Optional.of(Reason.PROVIDER) : Optional.empty();
            case UNSUBSCRIBED -> Optional.of(Reason.UNSUBSCRIBE);
            default -> Optional.empty();
        };
    }

    private static Optional<String> address(EmailEvent e, ActivityState current) {
        List<String> named = e.recipients().stream()
                .map(Addresses::normalised)
                .filter(a -> !a.isEmpty())
                .distinct()
                .toList();
        if (named.size() == 1) {
            return Optional.of(named.get(0));
        }
        OptionalInt index = Recipients.of(e.tags());
        if (!named.isEmpty() || index.isEmpty() || current == null) {
            return Optional.empty();
        }
        return current.recipients().stream()
                .filter(r -> r.index() == index.getAsInt() && r.email() != null)
                .map(r -> Addresses.normalised(r.email()))
                .findFirst();
    }
}
