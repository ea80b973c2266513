package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OwnTrackingDeclaration;
import java.util.Collection;

/**
 * Whose opens and clicks count when both our tracking and the provider's observe an email (DESIGN rule 3, "one
 * person, one fact"): while our pixel is in the email its opens are ours alone, and while its links go through our
 * redirect its clicks are; the provider's {@code email.opened} / {@code email.clicked} of it then corroborate ours
 * and add nothing to the counts (each one person's open, seen twice). Which kinds ours observes is known from the
 * send-service's declaration ({@link OwnTrackingDeclaration} on its queued fact) or proved by a hit of ours: a set of events says
 * it whatever their order, so the provider's hits that came first count until then and are recounted as
 * corroboration when it is known ({@link EngagementFold}).
 */
public final class Corroboration {

    private Corroboration() {}

    /** What ours is known to observe once this event is known too: kinds are only ever added. */
    static OwnTracking observed(OwnTracking own, EmailEvent e) {
        boolean opens = own.opens();
        boolean clicks = own.clicks();
        boolean noConsent = own.noConsent();
        if (e.source() == EventSource.SEND_SERVICE) {
            String declared = e.tags().get(OwnTrackingDeclaration.TAG);
            opens |= OwnTrackingDeclaration.opens(declared);
            clicks |= OwnTrackingDeclaration.clicks(declared);
            noConsent |= OwnTrackingDeclaration.noConsent(declared);
        } else if (Engagement.counts(e)) {
            Hit hit = Hit.of(e);
            opens |= !hit.click() && hit.ours();
            clicks |= hit.click() && hit.ours();
        }
        return opens == own.opens() && clicks == own.clicks() && noConsent == own.noConsent()
                ? own
                : new OwnTracking(opens, clicks, own.corroboratingOpens(), own.corroboratingClicks(), noConsent);
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
