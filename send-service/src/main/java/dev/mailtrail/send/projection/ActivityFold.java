package dev.mailtrail.send.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;

/**
 * Folds new (never before applied) events into an activity's state. Every rule is a commutative, idempotent
 * merge — first/last by min/max, counts by distinct event (the caller dedupes by eventId), status by rank, a
 * single-shot fact's detail from its earliest occurrence with ties broken by value, text by least value — so
 * the state is a function of the set of distinct events, whatever the arrival order and batch split (DESIGN
 * rule 2).
 */
public final class ActivityFold {

    /**
     * A tag on the send-service's own facts (source {@code send_service}): value {@code NOT_TRACKED} when neither
     * our pixel nor the provider can observe opens (text-only, or tracking off). Ignored from other sources.
     */
    public static final String OPEN_TRACKING_TAG = "mailtrail_open_tracking";

    /** The order of a timeline, and of "earliest" among equals. */
    public static final Comparator<EmailEvent> ORDER =
            Comparator.comparing(EmailEvent::occurredAt).thenComparing(EmailEvent::eventId);

    private static final Comparator<String> TEXT = Comparator.nullsLast(Comparator.naturalOrder());
    private static final Comparator<EmailEvent.Bounce> BOUNCE = Comparator.nullsLast(
            Comparator.comparing(EmailEvent.Bounce::type, TEXT)
                    .thenComparing(EmailEvent.Bounce::subType, TEXT)
                    .thenComparing(EmailEvent.Bounce::message, TEXT)
                    .thenComparing(EmailEvent.Bounce::hard));

    private ActivityFold() {
    }

    public static ActivityState empty(String activityId, Instant now) {
        return new ActivityState(ActivityState.SCHEMA_VERSION, activityId, null, 0, ActivityStatus.QUEUED, null, null,
                null, OpenTracking.TRACKED, null, null, null, null, null, null, null, 0, 0, false, null, null, 0, 0,
                List.of(), null, null, null, null, null, null, now);
    }

    /**
     * One batch's new events for one activity: the next version of its state (created if {@code current} is null),
     * or empty when the events change nothing, so nothing is written or published.
     */
    public static Optional<ActivityState> next(ActivityState current, String activityId,
            Collection<EmailEvent> newEvents, Instant now) {
        ActivityState before = current != null ? current : empty(activityId, now);
        ActivityState after = before;
        for (EmailEvent event : newEvents) {
            after = apply(after, event);
        }
        return current != null && after.equals(before) ? Optional.empty() : Optional.of(Versions.bump(after, now));
    }

    public static ActivityState apply(ActivityState s, EmailEvent e) {
        Instant at = e.occurredAt();
        EmailEventType type = e.type();
        boolean machine = e.classification() == Classification.MACHINE;
        boolean opened = type == EmailEventType.OPENED;
        boolean clicked = type == EmailEventType.CLICKED;
        // machine engagement (prefetch, scanners) is counted apart and never raises the status
        ActivityStatus status = (opened || clicked) && machine
                ? s.status() : s.status().max(ActivityStatus.reachedBy(type));

        boolean humanOpen = opened && !machine;
        boolean humanClick = clicked && !machine;
        long openCount = s.openCount() + (humanOpen ? 1 : 0);
        long machineOpenCount = s.machineOpenCount() + (opened && machine ? 1 : 0);
        long clickCount = s.clickCount() + (humanClick ? 1 : 0);
        boolean declaredNotTracked = s.openTracking() == OpenTracking.NOT_TRACKED || declaresNotTracked(e);
        // a seen open proves somebody tracks opens, whatever was declared
        OpenTracking openTracking = declaredNotTracked && openCount + machineOpenCount == 0
                ? OpenTracking.NOT_TRACKED : OpenTracking.TRACKED;
        boolean bounced = type == EmailEventType.BOUNCED;
        boolean failed = type == EmailEventType.FAILED;

        return new ActivityState(
                s.schemaVersion(),
                s.activityId(),
                least(s.tenantId(), e.tenantId()),
                s.version(),
                status,
                least(s.messageId(), e.providerMessageId()),
                least(s.recipient(), e.recipients().isEmpty() ? null : e.recipients().get(0)),
                least(s.subject(), e.subject()),
                openTracking,
                type == EmailEventType.QUEUED ? min(s.queuedAt(), at) : s.queuedAt(),
                type == EmailEventType.SCHEDULED ? min(s.scheduledAt(), at) : s.scheduledAt(),
                type == EmailEventType.SENT ? min(s.sentAt(), at) : s.sentAt(),
                type == EmailEventType.DELIVERY_DELAYED ? min(s.firstDelayedAt(), at) : s.firstDelayedAt(),
                type == EmailEventType.DELIVERED ? min(s.deliveredAt(), at) : s.deliveredAt(),
                humanOpen ? min(s.firstOpenedAt(), at) : s.firstOpenedAt(),
                humanOpen ? max(s.lastOpenedAt(), at) : s.lastOpenedAt(),
                openCount,
                machineOpenCount,
                // a human click implies an open nobody saw; derived, so it clears itself once an open arrives
                clickCount > 0 && openCount == 0,
                humanClick ? min(s.firstClickedAt(), at) : s.firstClickedAt(),
                humanClick ? max(s.lastClickedAt(), at) : s.lastClickedAt(),
                clickCount,
                s.machineClickCount() + (clicked && machine ? 1 : 0),
                clicked ? countLink(s.links(), e, machine) : s.links(),
                bounced ? min(s.bouncedAt(), at) : s.bouncedAt(),
                bounced ? earliest(s.bouncedAt(), s.bounce(), at, e.bounce(), BOUNCE) : s.bounce(),
                type == EmailEventType.COMPLAINED ? min(s.complainedAt(), at) : s.complainedAt(),
                failed ? min(s.failedAt(), at) : s.failedAt(),
                failed ? earliest(s.failedAt(), s.failureReason(), at, failureReason(e), TEXT) : s.failureReason(),
                type == EmailEventType.SUPPRESSED ? min(s.suppressedAt(), at) : s.suppressedAt(),
                s.updatedAt());
    }

    private static String failureReason(EmailEvent e) {
        return e.failure() == null ? null : e.failure().reason();
    }

    private static boolean declaresNotTracked(EmailEvent e) {
        return e.source() == EventSource.SEND_SERVICE
                && OpenTracking.NOT_TRACKED.name().equals(e.tags().get(OPEN_TRACKING_TAG));
    }

    private static List<ActivityState.LinkClicks> countLink(List<ActivityState.LinkClicks> links, EmailEvent e,
            boolean machine) {
        String url = e.click() == null ? null : e.click().url();
        if (url == null) {
            return links;
        }
        List<ActivityState.LinkClicks> result = new ArrayList<>(links.size() + 1);
        boolean found = false;
        for (ActivityState.LinkClicks link : links) {
            if (link.url().equals(url)) {
                found = true;
                link = new ActivityState.LinkClicks(url, link.clicks() + (machine ? 0 : 1),
                        link.machineClicks() + (machine ? 1 : 0));
            }
            result.add(link);
        }
        if (!found) {
            result.add(new ActivityState.LinkClicks(url, machine ? 0 : 1, machine ? 1 : 0));
        }
        // a stable order, independent of arrival
        result.sort(Comparator.comparing(ActivityState.LinkClicks::url));
        return List.copyOf(result);
    }

    /** The detail of the earliest occurrence; in the same millisecond, the least detail (a present one first). */
    private static <T> T earliest(Instant currentAt, T current, Instant at, T candidate, Comparator<T> order) {
        if (currentAt == null || at.isBefore(currentAt)) {
            return candidate;
        }
        return at.equals(currentAt) && order.compare(candidate, current) < 0 ? candidate : current;
    }

    /** Sources may disagree on text (e.g. a subject); the least value wins, so arrival order cannot matter. */
    private static String least(String current, String candidate) {
        return TEXT.compare(candidate, current) < 0 ? candidate : current;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
