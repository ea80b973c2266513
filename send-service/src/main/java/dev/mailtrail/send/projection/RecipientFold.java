package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.Recipient;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Recipients;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The per-recipient part of an activity's state, for an email sent as one message per recipient ({@link Recipients}):
 * each event naming a recipient folds into that recipient's entry by the same commutative, idempotent merges as the
 * activity's own facts (first by min, a single-shot fact's detail from its earliest occurrence, text by least
 * value, counts of distinct events), so the entries are a function of the set of events (DESIGN rule 2). The
 * send-service's queued fact lists every recipient ({@link Recipients#COUNT_TAG}). A recipient's opens and clicks
 * are our own tracking's hits (such an email always has it) that the edge did not call a machine's: the context rules
 * (bursts, too soon after delivery) are the activity's, over all its recipients' hits.
 */
final class RecipientFold {

    private static final Comparator<String> TEXT = Comparator.nullsLast(Comparator.naturalOrder());

    private RecipientFold() {}

    /** {@code recipients} (by index) moved on by one new event. */
    static List<Recipient> fold(List<Recipient> recipients, EmailEvent e) {
        OptionalInt named = Recipients.of(e.tags());
        if (named.isEmpty() && !listsRecipients(e)) {
            return recipients; // most events: an email sent as one message
        }
        TreeMap<Integer, Recipient> byIndex = new TreeMap<>();
        recipients.forEach(r -> byIndex.put(r.index(), r));
        if (named.isPresent()) {
            int index = named.getAsInt();
            byIndex.put(index, fact(byIndex.getOrDefault(index, empty(index)), e));
        } else {
            for (int i = 0; i < e.recipients().size(); i++) {
                Recipient r = byIndex.getOrDefault(i, empty(i));
                byIndex.put(i, with(r, least(r.email(), e.recipients().get(i))));
            }
        }
        return List.copyOf(byIndex.values());
    }

    /** The queued fact of an email sent as one message per recipient: its recipients in index order. */
    private static boolean listsRecipients(EmailEvent e) {
        String count = e.tags().get(Recipients.COUNT_TAG);
        return e.source() == EventSource.SEND_SERVICE
                && e.type() == EmailEventType.QUEUED
                && count != null
                && count.equals(Integer.toString(e.recipients().size()))
                && e.recipients().size() > 1
                && e.recipients().size() <= Recipients.MAX;
    }

    private static Recipient empty(int index) {
        return Recipient.builder().index(index).status(ActivityStatus.QUEUED).build();
    }

    private static Recipient with(Recipient r, String email) {
        return r.toBuilder().email(email).build();
    }

    private static Recipient fact(Recipient r, EmailEvent e) {
        Instant at = e.occurredAt();
        EmailEventType type = e.type();
        boolean ours = e.source() == EventSource.TRACKING_PIXEL || e.source() == EventSource.TRACKING_REDIRECT;
        boolean counts = ours && e.classification() != Classification.MACHINE;
        boolean opened = counts && type == EmailEventType.OPENED;
        boolean clicked = counts && type == EmailEventType.CLICKED;
        boolean bounced = type == EmailEventType.BOUNCED;
        boolean failed = type == EmailEventType.FAILED;
        return r.toBuilder()
                .messageId(least(r.messageId(), e.providerMessageId()))
                .sentAt(type == EmailEventType.SENT ? ActivityFold.min(r.sentAt(), at) : r.sentAt())
                .deliveredAt(type == EmailEventType.DELIVERED ? ActivityFold.min(r.deliveredAt(), at) : r.deliveredAt())
                .firstOpenedAt(opened ? ActivityFold.min(r.firstOpenedAt(), at) : r.firstOpenedAt())
                .openCount(r.openCount() + (opened ? 1 : 0))
                .firstClickedAt(clicked ? ActivityFold.min(r.firstClickedAt(), at) : r.firstClickedAt())
                .clickCount(r.clickCount() + (clicked ? 1 : 0))
                .bouncedAt(bounced ? ActivityFold.min(r.bouncedAt(), at) : r.bouncedAt())
                .bounce(
                        bounced
                                ? ActivityFold.earliest(r.bouncedAt(), r.bounce(), at, e.bounce(), ActivityFold.BOUNCE)
                                : r.bounce())
                .complainedAt(
                        type == EmailEventType.COMPLAINED ? ActivityFold.min(r.complainedAt(), at) : r.complainedAt())
                .unsubscribedAt(
                        type == EmailEventType.UNSUBSCRIBED
                                ? ActivityFold.min(r.unsubscribedAt(), at)
                                : r.unsubscribedAt())
                .failedAt(failed ? ActivityFold.min(r.failedAt(), at) : r.failedAt())
                .failureReason(
                        failed
                                ? ActivityFold.earliest(
                                        r.failedAt(),
                                        r.failureReason(),
                                        at,
                                        e.failure() == null ? null : e.failure().reason(),
                                        TEXT)
                                : r.failureReason())
                .suppressedAt(
                        type == EmailEventType.SUPPRESSED ? ActivityFold.min(r.suppressedAt(), at) : r.suppressedAt())
                .build();
    }

    /** Each recipient's status: the highest rank it reached. */
    static List<Recipient> settled(List<Recipient> recipients) {
        List<Recipient> settled = new ArrayList<>(recipients.size());
        for (Recipient r : recipients) {
            ActivityStatus status = ActivityFold.highest(candidate -> reached(r, candidate));
            settled.add(r.toBuilder().status(status).build());
        }
        return List.copyOf(settled);
    }

    private static boolean reached(Recipient r, ActivityStatus status) {
        return switch (status) {
            case QUEUED -> true;
            // a reply is matched to the activity, not to one recipient's message
            case SCHEDULED, DELIVERY_DELAYED, REPLIED -> false;
            case SENT -> r.sentAt() != null;
            case DELIVERED -> r.deliveredAt() != null;
            case OPENED -> r.openCount() > 0;
            case CLICKED -> r.clickCount() > 0;
            case SUPPRESSED -> r.suppressedAt() != null;
            case FAILED -> r.failedAt() != null;
            case BOUNCED -> r.bouncedAt() != null;
            case COMPLAINED -> r.complainedAt() != null;
        };
    }

    /** Whether some recipient's message reached its person: DELIVERED, OPENED or CLICKED, with no problem. */
    static boolean anyReached(List<Recipient> recipients) {
        return recipients.stream()
                .anyMatch(r -> r.status().rank() >= ActivityStatus.DELIVERED.rank()
                        && r.status().rank() <= ActivityStatus.CLICKED.rank());
    }

    /**
     * The activity's problem facts from its recipients: none while some recipient's message reached its person (a
     * bounced cc does not make a delivered email bounced, it is one of its {@link ActivityState#problems()}), else
     * each one's earliest over the recipients, as one message's would be.
     */
    static Problems problems(List<Recipient> recipients) {
        if (anyReached(recipients)) {
            return new Problems(null, null, null, null, null, null);
        }
        Recipient bounced = earliest(
                recipients, Recipient::bouncedAt, Comparator.comparing(Recipient::bounce, ActivityFold.BOUNCE));
        Recipient failed =
                earliest(recipients, Recipient::failedAt, Comparator.comparing(Recipient::failureReason, TEXT));
        return new Problems(
                bounced == null ? null : bounced.bouncedAt(),
                bounced == null ? null : bounced.bounce(),
                min(recipients, Recipient::complainedAt),
                failed == null ? null : failed.failedAt(),
                failed == null ? null : failed.failureReason(),
                min(recipients, Recipient::suppressedAt));
    }

    /** The activity-level problem fields derived from its recipients. */
    record Problems(
            Instant bouncedAt,
            EmailEvent.Bounce bounce,
            Instant complainedAt,
            Instant failedAt,
            String failureReason,
            Instant suppressedAt) {}

    private static Recipient earliest(
            List<Recipient> recipients, Function<Recipient, Instant> at, Comparator<Recipient> detail) {
        return recipients.stream()
                .filter(r -> at.apply(r) != null)
                .min(Comparator.comparing(at).thenComparing(detail))
                .orElse(null);
    }

    private static Instant min(List<Recipient> recipients, Function<Recipient, Instant> at) {
        return recipients.stream()
                .map(at)
                .filter(Objects::nonNull)
                .min(Comparator.naturalOrder())
                .orElse(null);
    }

    private static String least(String current, String candidate) {
        return TEXT.compare(candidate, current) < 0 ? candidate : current;
    }
}
