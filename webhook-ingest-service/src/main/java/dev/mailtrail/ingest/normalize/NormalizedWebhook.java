package dev.mailtrail.ingest.normalize;

import dev.mailtrail.events.EmailEvent;

/** What a verified Resend webhook turned out to be. */
public sealed interface NormalizedWebhook {

    /** The Resend type, or {@code null} when there was none. */
    String resendType();

    record Recognized(String resendType, EmailEvent event) implements NormalizedWebhook {}

    /** Well-formed, but of a type we do not model (contact.*, domain.*, a future email.*). */
    record Unrecognized(String resendType) implements NormalizedWebhook {}

    record Malformed(String resendType, String reason) implements NormalizedWebhook {}

    /** An id that cannot become ours ({@code field}: the svix-id header or {@code data.email_id}). */
    record Invalid(String resendType, String field, String message) implements NormalizedWebhook {}
}
