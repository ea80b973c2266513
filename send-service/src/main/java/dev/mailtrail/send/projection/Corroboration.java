package dev.mailtrail.send.projection;

import java.util.Collection;

import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EventSource;

/**
 * Whose opens and clicks count when both our tracking and the provider's observe an email (DESIGN rule 3, "one
 * person, one fact"): while our pixel is in the email its opens are ours alone, and while its links go through our
 * redirect its clicks are; the provider's {@code email.opened} / {@code email.clicked} of it then corroborate ours
 * and add nothing to the counts (each one person's open, seen twice). Which kinds ours observes is known from the
 * send-service's declaration ({@value #TAG} on its queued fact) or proved by a hit of ours: a set of events says
 * it whatever their order, so the provider's hits that came first count until then and are recounted as
 * corroboration when it is known ({@link EngagementFold}).
 */
public final class Corroboration {

    /**
     * A tag on the send-service's own facts (source {@code send_service}): which kinds of engagement our tracking
     * observes, one of {@value #NONE}, {@value #OPENS}, {@value #CLICKS}, {@value #OPENS_CLICKS}. Ignored from other
     * sources; a fact without it declares nothing (events written before it existed).
     */
    public static final String TAG = "mailtrail_own_tracking";

    static final String NONE = "none";
    static final String OPENS = "opens";
    static final String CLICKS = "clicks";
    static final String OPENS_CLICKS = "opens_clicks";

    private Corroboration() {
    }

    /** The value of {@value #TAG} that declares these. */
    public static String declaration(OwnTracking own) {
        if (own.opens()) {
            return own.clicks() ? OPENS_CLICKS : OPENS;
        }
        return own.clicks() ? CLICKS : NONE;
    }

    /** What ours is known to observe once this event is known too: kinds are only ever added. */
    static OwnTracking observed(OwnTracking own, EmailEvent e) {
        boolean opens = own.opens();
        boolean clicks = own.clicks();
        if (e.source() == EventSource.SEND_SERVICE) {
            String declared = e.tags().getOrDefault(TAG, NONE);
            opens |= declared.equals(OPENS) || declared.equals(OPENS_CLICKS);
            clicks |= declared.equals(CLICKS) || declared.equals(OPENS_CLICKS);
        }
        else if (Engagement.counts(e)) {
            Hit hit = Hit.of(e);
            opens |= !hit.click() && hit.ours();
            clicks |= hit.click() && hit.ours();
        }
        return opens == own.opens() && clicks == own.clicks() ? own
                : new OwnTracking(opens, clicks, own.corroboratingOpens(), own.corroboratingClicks());
    }

    static OwnTracking observed(OwnTracking own, Collection<EmailEvent> events) {
        for (EmailEvent e : events) {
            own = observed(own, e);
        }
        return own;
    }

    /** Whether the hit is the provider's of a kind ours observes: listed, counted apart, never engagement. */
    static boolean corroborates(Hit hit, OwnTracking own) {
        return !hit.ours() && (hit.click() ? own.clicks() : own.opens());
    }

    /** Whether ours came to observe a kind it was not known to before: the provider's hits of it must move. */
    static boolean widened(OwnTracking before, OwnTracking after) {
        return after.opens() && !before.opens() || after.clicks() && !before.clicks();
    }
}
