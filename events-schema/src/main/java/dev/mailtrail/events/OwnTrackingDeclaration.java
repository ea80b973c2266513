package dev.mailtrail.events;

import dev.mailtrail.events.ActivityState.OwnTracking;

/**
 * The tag {@value #TAG} on the send-service's own facts (source {@code send_service}): which kinds of engagement our
 * own tracking observes, one of {@value #NONE}, {@value #OPENS}, {@value #CLICKS}, {@value #OPENS_CLICKS}, or
 * {@value #NO_CONSENT} (none, as the recipient had not consented to tracking). The
 * send-service writes it on its queued fact; the projection reads it to tell whose opens and clicks count. Ignored
 * from other sources; a fact without it declares nothing (events written before it existed).
 */
public final class OwnTrackingDeclaration {

    public static final String TAG = "mailtrail_own_tracking";

    static final String NONE = "none";
    static final String OPENS = "opens";
    static final String CLICKS = "clicks";
    static final String OPENS_CLICKS = "opens_clicks";
    static final String NO_CONSENT = "no_consent";

    private OwnTrackingDeclaration() {}

    /** The value that declares these. */
    public static String of(OwnTracking own) {
        if (own.noConsent()) {
            return NO_CONSENT;
        }
        if (own.opens()) {
            return own.clicks() ? OPENS_CLICKS : OPENS;
        }
        return own.clicks() ? CLICKS : NONE;
    }

    /** Whether the value (null: none) declares that ours observes opens. */
    public static boolean opens(String declared) {
        return OPENS.equals(declared) || OPENS_CLICKS.equals(declared);
    }

    /** Whether the value (null: none) declares that ours observes clicks. */
    public static boolean clicks(String declared) {
        return CLICKS.equals(declared) || OPENS_CLICKS.equals(declared);
    }

    /** Whether the value (null: none) declares that tracking was left out for lack of consent. */
    public static boolean noConsent(String declared) {
        return NO_CONSENT.equals(declared);
    }
}
