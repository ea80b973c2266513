package dev.mailtrail.send.query;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.OpenTracking;
import java.time.Duration;
import java.time.Instant;

/**
 * What a sales rep sees: the status in words, a note that keeps it honest ("auto-open" when only machines
 * opened, "unverified open" when every counted open is of unknown origin and nothing else counted, "opens not
 * tracked" when nobody could see an open, "no consent" when that is because the recipient had not consented), when that status was reached, and how long ago; and {@code problems},
 * how many recipients' messages bounced, were complained about, failed or were suppressed (an email sent as one
 * message per recipient, {@link ActivityState#recipients()}: a bounced cc does not make it bounced).
 */
public record Badge(String label, String note, Instant at, String relative, long problems) {

    public static final String AUTO_OPEN = "auto-open";
    public static final String UNVERIFIED_OPEN = "unverified open";
    public static final String OPENS_NOT_TRACKED = "opens not tracked";
    /** Opens not tracked because the recipient had not consented to tracking (issue 24). */
    public static final String NO_CONSENT = "no consent";

    public static Badge of(ActivityState s, Instant now) {
        Instant at = switch (s.status()) {
            case QUEUED -> s.queuedAt();
            case SCHEDULED -> s.scheduledAt();
            case SENT -> s.sentAt();
            case DELIVERY_DELAYED -> s.firstDelayedAt();
            case DELIVERED -> s.deliveredAt();
            case OPENED -> s.firstOpenedAt();
            case CLICKED -> s.firstClickedAt();
            case REPLIED -> s.repliedAt();
            case SUPPRESSED -> s.suppressedAt();
            case FAILED -> s.failedAt();
            case BOUNCED -> s.bouncedAt();
            case COMPLAINED -> s.complainedAt();
        };
        return new Badge(label(s), note(s), at, at == null ? null : relative(at, now), s.problems());
    }

    static String label(ActivityState s) {
        return switch (s.status()) {
            case QUEUED -> "Queued";
            case SCHEDULED -> "Scheduled";
            case SENT -> "Sent";
            case DELIVERY_DELAYED -> "Delayed";
            case DELIVERED -> "Delivered";
            case OPENED -> "Opened";
            case CLICKED -> "Clicked";
            case REPLIED -> "Replied";
            case SUPPRESSED -> "Suppressed";
            case FAILED -> "Failed";
            case BOUNCED -> "Bounced";
            case COMPLAINED -> "Complained";
        };
    }

    static String note(ActivityState s) {
        // Resend's opens carry no client data: they count, but nobody was seen reading; a click or a person's reply
        // speaks for itself
        boolean spoke = s.clickCount() > 0 || s.replyCount() > 0;
        if (s.openCount() > 0 && s.humanOpenCount() == 0 && !spoke) {
            return UNVERIFIED_OPEN;
        }
        boolean engaged = s.openCount() > 0 || spoke;
        if (engaged) {
            return null;
        }
        if (s.machineOpenCount() > 0) {
            return AUTO_OPEN;
        }
        if (s.openTracking() != OpenTracking.NOT_TRACKED) {
            return null;
        }
        return s.ownTracking().noConsent() ? NO_CONSENT : OPENS_NOT_TRACKED;
    }

    /** Compact English, like a CRM timeline: "just now", "5m ago", "2h ago", "3d ago", "2w ago", "4mo ago", "in 5m". */
    static String relative(Instant at, Instant now) {
        Duration d = Duration.between(at, now);
        boolean future = d.isNegative();
        long s = Math.abs(d.getSeconds());
        String amount;
        if (s < 60) {
            return "just now";
        } else if (s < 3600) {
            amount = s / 60 + "m";
        } else if (s < 86_400) {
            amount = s / 3600 + "h";
        } else if (s < 14 * 86_400) {
            amount = s / 86_400 + "d";
        } else if (s < 60 * 86_400) {
            amount = s / (7 * 86_400) + "w";
        } else if (s < 365 * 86_400) {
            amount = s / (30 * 86_400) + "mo";
        } else {
            amount = s / (365 * 86_400) + "y";
        }
        return future ? "in " + amount : amount + " ago";
    }
}
