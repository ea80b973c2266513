package dev.mailtrail.send.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.OpenTracking;

/**
 * Folds one new (never before applied) event into an activity's state. Every rule is order-independent —
 * first/last by min/max, counts by distinct event, status by rank, details of the earliest occurrence — so
 * the state is a function of the set of distinct events, however they arrive (DESIGN rule 2).
 * {@code version} and {@code updatedAt} are the caller's bookkeeping.
 */
public final class ActivityFold {

    private ActivityFold() {
    }

    public static ActivityState empty(String activityId, Instant now) {
        return new ActivityState(ActivityState.SCHEMA_VERSION, activityId, null, 0, ActivityStatus.QUEUED, null, null,
                null, OpenTracking.TRACKED, null, null, null, null, null, null, null, 0, 0, false, null, null, 0, 0,
                List.of(), null, null, null, null, null, null, now);
    }

    public static ActivityState apply(ActivityState s, EmailEvent e) {
        Instant at = e.occurredAt();
        EmailEventType type = e.type();
        boolean machine = e.classification() == Classification.MACHINE;
        // machine engagement (prefetch, scanners) is counted apart and never raises the status
        ActivityStatus status = (type == EmailEventType.OPENED || type == EmailEventType.CLICKED) && machine
                ? s.status() : s.status().max(ActivityStatus.reachedBy(type));

        boolean humanOpen = type == EmailEventType.OPENED && !machine;
        boolean humanClick = type == EmailEventType.CLICKED && !machine;
        long openCount = s.openCount() + (humanOpen ? 1 : 0);
        long clickCount = s.clickCount() + (humanClick ? 1 : 0);

        boolean earlierBounce = type == EmailEventType.BOUNCED && isEarlier(at, s.bouncedAt());
        boolean earlierFailure = (type == EmailEventType.FAILED) && isEarlier(at, s.failedAt());

        return new ActivityState(
                s.schemaVersion(),
                s.activityId(),
                firstNonNull(s.tenantId(), e.tenantId()),
                s.version(),
                status,
                firstNonNull(s.messageId(), e.providerMessageId()),
                firstNonNull(s.recipient(), e.recipients().isEmpty() ? null : e.recipients().get(0)),
                firstNonNull(s.subject(), e.subject()),
                s.openTracking(),
                type == EmailEventType.QUEUED ? min(s.queuedAt(), at) : s.queuedAt(),
                type == EmailEventType.SCHEDULED ? min(s.scheduledAt(), at) : s.scheduledAt(),
                type == EmailEventType.SENT ? min(s.sentAt(), at) : s.sentAt(),
                type == EmailEventType.DELIVERY_DELAYED ? min(s.firstDelayedAt(), at) : s.firstDelayedAt(),
                type == EmailEventType.DELIVERED ? min(s.deliveredAt(), at) : s.deliveredAt(),
                humanOpen ? min(s.firstOpenedAt(), at) : s.firstOpenedAt(),
                humanOpen ? max(s.lastOpenedAt(), at) : s.lastOpenedAt(),
                openCount,
                s.machineOpenCount() + (type == EmailEventType.OPENED && machine ? 1 : 0),
                // a human click implies an open nobody saw; derived, so it clears itself once an open arrives
                clickCount > 0 && openCount == 0,
                humanClick ? min(s.firstClickedAt(), at) : s.firstClickedAt(),
                humanClick ? max(s.lastClickedAt(), at) : s.lastClickedAt(),
                clickCount,
                s.machineClickCount() + (type == EmailEventType.CLICKED && machine ? 1 : 0),
                type == EmailEventType.CLICKED ? countLink(s.links(), e, machine) : s.links(),
                type == EmailEventType.BOUNCED ? min(s.bouncedAt(), at) : s.bouncedAt(),
                earlierBounce ? e.bounce() : s.bounce(),
                type == EmailEventType.COMPLAINED ? min(s.complainedAt(), at) : s.complainedAt(),
                type == EmailEventType.FAILED ? min(s.failedAt(), at) : s.failedAt(),
                earlierFailure && e.failure() != null ? e.failure().reason() : s.failureReason(),
                type == EmailEventType.SUPPRESSED ? min(s.suppressedAt(), at) : s.suppressedAt(),
                s.updatedAt());
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

    /** Ties (same millisecond) keep what is there; {@link ProjectionBatch} applies events sorted by (time, id). */
    private static boolean isEarlier(Instant at, Instant current) {
        return current == null || at.isBefore(current);
    }

    private static <T> T firstNonNull(T current, T candidate) {
        return current != null ? current : candidate;
    }

    private static Instant min(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private static Instant max(Instant a, Instant b) {
        return a == null || b.isAfter(a) ? b : a;
    }
}
