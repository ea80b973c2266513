package dev.mailtrail.events;

/** Whether anybody (our pixel or the provider) could observe an open of this email. */
public enum OpenTracking {
    TRACKED,
    /** Text-only, or neither we nor the provider track opens: never shown as "not opened". */
    NOT_TRACKED
}
