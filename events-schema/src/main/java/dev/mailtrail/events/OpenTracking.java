package dev.mailtrail.events;

/** Whether anybody (our pixel or the provider) could observe an open of this email. */
public enum OpenTracking {
    TRACKED,
    /** Text-only, or neither we nor the provider track opens: never shown as "not opened". */
    NOT_TRACKED;

    /**
     * A tag on the send-service's own facts (source {@code send_service}): value {@code NOT_TRACKED} when neither
     * our pixel nor the provider can observe opens (text-only, or tracking off). Ignored from other sources.
     */
    public static final String TAG = "mailtrail_open_tracking";
}
