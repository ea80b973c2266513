package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.CallerTags;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Folds new (never before applied) events into an activity's state. Every fact but engagement is a commutative,
 * idempotent merge — first/last by min/max, a single-shot fact's detail from its earliest occurrence with ties
 * broken by value, text by least value. Engagement is classified in context (an open or click can turn others into
 * machines) and, for a kind our own tracking observes, counted from our hits alone ({@link Corroboration}), so it
 * is moved on by {@link EngagementFold} from what the activity's recorded opens and clicks say around the new ones,
 * and the status is derived from the result. So the state is a function of the set of
 * distinct events, whatever the arrival order and batch split (DESIGN rule 2).
 */
public final class ActivityFold {

    private static final Comparator<String> TEXT = Comparator.nullsLast(Comparator.naturalOrder());
    static final Comparator<EmailEvent.Bounce> BOUNCE =
            Comparator.nullsLast(Comparator.comparing(EmailEvent.Bounce::type, TEXT)
                    .thenComparing(EmailEvent.Bounce::subType, TEXT)
                    .thenComparing(EmailEvent.Bounce::message, TEXT)
                    .thenComparing(EmailEvent.Bounce::hard));

    private ActivityFold() {}

    public static ActivityState empty(ActivityKey key, Instant now) {
        return ActivityState.builder()
                .activityId(key.activityId())
                .tenantId(key.tenantId())
                .status(ActivityStatus.QUEUED)
                .openTracking(OpenTracking.TRACKED)
                .ownTracking(OwnTracking.NONE)
                .updatedAt(now)
                .build();
    }

    /**
     * The state of a set of events: what any arrival order and batch split of them must give (DESIGN rule 2).
     */
    public static ActivityState of(ActivityKey key, Collection<EmailEvent> events, EngagementRules rules, Instant now) {
        EngagementFold.Read nothingRecorded = reads(null, key, events, rules);
        return next(null, key, events, EngagementFold.Recorded.nothing(nothingRecorded), rules, now)
                .state()
                .orElseThrow();
    }

    /**
     * What folding these new events needs read of the activity's recorded opens and clicks (see
     * {@link EngagementFold}): nothing for new opens, the clicks around new clicks, all of them when delivery moves
     * earlier.
     */
    static EngagementFold.Read reads(
            ActivityState current, ActivityKey key, Collection<EmailEvent> newEvents, EngagementRules rules) {
        return EngagementFold.plan(current, key.value(), newEvents, rules);
    }

    /**
     * One batch's new (distinct, never applied) events for one activity: the next version of its state (created if
     * {@code current} is null), or none when the events change nothing, so nothing is written or published; and
     * the burst flags to store. {@code recorded}: the answer to {@link #reads} for the same arguments.
     */
    static Folded next(
            ActivityState current,
            ActivityKey key,
            Collection<EmailEvent> newEvents,
            EngagementFold.Recorded recorded,
            EngagementRules rules,
            Instant now) {
        ActivityState before = current != null ? current : empty(key, now);
        ActivityState after = before;
        for (EmailEvent event : newEvents) {
            after = fact(after, event);
        }
        List<Hit> hits =
                newEvents.stream().filter(Engagement::counts).map(Hit::of).toList();
        EngagementFold.Result engagement =
                EngagementFold.apply(current, after.deliveredAt(), after.ownTracking(), hits, recorded, rules);
        if (engagement != null) {
            after = withEngagement(after, engagement.engagement());
        }
        after = settle(after);
        Optional<ActivityState> next =
                current != null && after.equals(before) ? Optional.empty() : Optional.of(Versions.bump(after, now));
        return new Folded(next, engagement == null ? Map.of() : engagement.bursts());
    }

    /** The next state (none when unchanged) and the burst flags (by event id) to store. */
    record Folded(Optional<ActivityState> state, Map<String, Boolean> bursts) {}

    /**
     * Every fact but engagement, folded incrementally: the engagement fields are moved on by {@link EngagementFold},
     * and the status and open tracking derived once all is folded ({@link #settle}).
     */
    private static ActivityState fact(ActivityState s, EmailEvent e) {
        Instant at = e.occurredAt();
        EmailEventType type = e.type();
        boolean bounced = type == EmailEventType.BOUNCED;
        boolean failed = type == EmailEventType.FAILED;
        // a suppressed fact's reason (suppressed: hard_bounce) is the state's failure reason while nothing failed
        boolean suppressedReason = type == EmailEventType.SUPPRESSED && s.failedAt() == null;
        OpenTracking openTracking = declaresNotTracked(e) ? OpenTracking.NOT_TRACKED : s.openTracking();

        return s.toBuilder()
                .messageId(least(s.messageId(), e.providerMessageId()))
                .recipient(least(
                        s.recipient(),
                        e.recipients().isEmpty() ? null : e.recipients().get(0)))
                .subject(least(s.subject(), e.subject()))
                .openTracking(openTracking)
                .ownTracking(Corroboration.observed(s.ownTracking(), e))
                .queuedAt(type == EmailEventType.QUEUED ? min(s.queuedAt(), at) : s.queuedAt())
                .scheduledAt(type == EmailEventType.SCHEDULED ? min(s.scheduledAt(), at) : s.scheduledAt())
                .sentAt(type == EmailEventType.SENT ? min(s.sentAt(), at) : s.sentAt())
                .firstDelayedAt(
                        type == EmailEventType.DELIVERY_DELAYED ? min(s.firstDelayedAt(), at) : s.firstDelayedAt())
                .deliveredAt(type == EmailEventType.DELIVERED ? min(s.deliveredAt(), at) : s.deliveredAt())
                .bouncedAt(bounced ? min(s.bouncedAt(), at) : s.bouncedAt())
                .bounce(bounced ? earliest(s.bouncedAt(), s.bounce(), at, e.bounce(), BOUNCE) : s.bounce())
                .complainedAt(type == EmailEventType.COMPLAINED ? min(s.complainedAt(), at) : s.complainedAt())
                // any recipient's: whoever unsubscribed, the activity's earliest (its status does not move)
                .unsubscribedAt(type == EmailEventType.UNSUBSCRIBED ? min(s.unsubscribedAt(), at) : s.unsubscribedAt())
                .failedAt(failed ? min(s.failedAt(), at) : s.failedAt())
                .failureReason(
                        failed
                                ? earliest(s.failedAt(), s.failureReason(), at, failureReason(e), TEXT)
                                : suppressedReason
                                        ? earliest(s.suppressedAt(), s.failureReason(), at, failureReason(e), TEXT)
                                        : s.failureReason())
                .suppressedAt(type == EmailEventType.SUPPRESSED ? min(s.suppressedAt(), at) : s.suppressedAt())
                .recipients(RecipientFold.fold(s.recipients(), e))
                .tags(CallerTags.merge(s.tags(), e.tags()))
                // a person's reply; an auto-reply (AUTO_REPLIED) is a timeline fact only. Counted per distinct event,
                // and the fold sees each event once, so the count is the set's whatever the order
                .repliedAt(type == EmailEventType.REPLIED ? min(s.repliedAt(), at) : s.repliedAt())
                .replyCount(type == EmailEventType.REPLIED ? s.replyCount() + 1 : s.replyCount())
                .build();
    }

    private static ActivityState withEngagement(ActivityState s, Engagement g) {
        OwnTracking own = new OwnTracking(
                s.ownTracking().opens(),
                s.ownTracking().clicks(),
                g.corroboratingOpens(),
                g.corroboratingClicks(),
                s.ownTracking().noConsent());
        return s.toBuilder()
                .ownTracking(own)
                .firstOpenedAt(g.firstOpenedAt())
                .lastOpenedAt(g.lastOpenedAt())
                .openCount(g.openCount())
                .machineOpenCount(g.machineOpenCount())
                .humanOpenCount(g.humanOpenCount())
                .firstClickedAt(g.firstClickedAt())
                .lastClickedAt(g.lastClickedAt())
                .clickCount(g.clickCount())
                .machineClickCount(g.machineClickCount())
                .humanClickCount(g.humanClickCount())
                .links(g.links())
                .build();
    }

    /**
     * The status and open tracking derived from the folded fields, not kept as running values: a later event can
     * turn earlier clicks into a burst, and the state must still be that of the set (DESIGN rule 2). Only
     * engagement that counts (human, unknown) reaches OPENED or CLICKED (rule 3).
     */
    private static ActivityState settle(ActivityState s) {
        if (!s.recipients().isEmpty()) {
            s = perRecipient(s);
        }
        ActivityState folded = s;
        ActivityStatus status = highest(candidate -> reached(folded, candidate));
        if (RecipientFold.anyReached(s.recipients())) {
            // reached by a recipient's own hit even where the activity's context rules call it a machine's
            status = status.max(ActivityStatus.DELIVERED);
        }
        // a seen open (even a machine's) or our pixel proves somebody tracks opens, whatever was declared
        OpenTracking openTracking =
                s.openCount() + s.machineOpenCount() > 0 || s.ownTracking().opens()
                        ? OpenTracking.TRACKED
                        : s.openTracking();
        return s.toBuilder()
                .status(status)
                .openTracking(openTracking)
                // a counted click or a reply implies an open nobody saw; derived, so it clears once an open counts
                .openInferred((s.clickCount() > 0 || s.replyCount() > 0) && s.openCount() == 0)
                .build();
    }

    /**
     * An email sent as one message per recipient: each recipient's status, and the activity's problem facts from
     * theirs ({@link RecipientFold#problems}), so while any recipient's message reached its person the activity's
     * status is its best engagement (DELIVERED, OPENED, CLICKED), else the highest rank among them all.
     */
    private static ActivityState perRecipient(ActivityState s) {
        List<ActivityState.Recipient> recipients = RecipientFold.settled(s.recipients());
        RecipientFold.Problems p = RecipientFold.problems(recipients);
        return s.toBuilder()
                .bouncedAt(p.bouncedAt())
                .bounce(p.bounce())
                .complainedAt(p.complainedAt())
                .failedAt(p.failedAt())
                .failureReason(p.failureReason())
                .suppressedAt(p.suppressedAt())
                .recipients(recipients)
                .build();
    }

    /** The highest rank {@code reached} holds for (QUEUED always does). */
    static ActivityStatus highest(Predicate<ActivityStatus> reached) {
        ActivityStatus status = ActivityStatus.QUEUED;
        for (ActivityStatus candidate : ActivityStatus.values()) {
            if (reached.test(candidate)) {
                status = status.max(candidate);
            }
        }
        return status;
    }

    private static boolean reached(ActivityState s, ActivityStatus status) {
        return switch (status) {
            case QUEUED -> true;
            case SCHEDULED -> s.scheduledAt() != null;
            case SENT -> s.sentAt() != null;
            case DELIVERY_DELAYED -> s.firstDelayedAt() != null;
            case DELIVERED -> s.deliveredAt() != null;
            case OPENED -> s.openCount() > 0;
            case CLICKED -> s.clickCount() > 0;
            case REPLIED -> s.repliedAt() != null;
            case SUPPRESSED -> s.suppressedAt() != null;
            case FAILED -> s.failedAt() != null;
            case BOUNCED -> s.bouncedAt() != null;
            case COMPLAINED -> s.complainedAt() != null;
        };
    }

    private static String failureReason(EmailEvent e) {
        return e.failure() == null ? null : e.failure().reason();
    }

    private static boolean declaresNotTracked(EmailEvent e) {
        return e.source() == EventSource.SEND_SERVICE
                && OpenTracking.NOT_TRACKED.name().equals(e.tags().get(OpenTracking.TAG));
    }

    /** The detail of the earliest occurrence; in the same millisecond, the least detail (a present one first). */
    static <T> T earliest(Instant currentAt, T current, Instant at, T candidate, Comparator<T> order) {
        if (currentAt == null || at.isBefore(currentAt)) {
            return candidate;
        }
        return at.equals(currentAt) && order.compare(candidate, current) < 0 ? candidate : current;
    }

    /** Sources may disagree on text (e.g. a subject); the least value wins, so arrival order cannot matter. */
    private static String least(String current, String candidate) {
        return TEXT.compare(candidate, current) < 0 ? candidate : current;
    }

    static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }
}
