package dev.mailtrail.send.projection;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * An open or a click as the context rules read it ({@link Engagement}): what activity_event keeps of every one,
 * payload or not. {@code unsure}: the edge could not call it human for sure (unknown, or human without a reason).
 * {@code burst}: the projection found it in a click burst (stored, set when found: see {@link EngagementFold}).
 * {@code source}: who observed it, which says whether it is one of our own hits ({@link Corroboration}).
 * Times in milliseconds, as stored, so what is folded in memory and what is read back compare equal.
 */
public record Hit(
        String eventId,
        EmailEventType type,
        Instant occurredAt,
        Classification classification,
        boolean unsure,
        String link,
        boolean burst,
        EventSource source) {

    public static Hit of(EmailEvent e) {
        Classification c = e.classification();
        boolean unsure = c == Classification.UNKNOWN
                || c == Classification.HUMAN
                        && e.client() != null
                        && e.client().reasons().isEmpty();
        return new Hit(
                e.eventId(),
                e.type(),
                e.occurredAt().truncatedTo(ChronoUnit.MILLIS),
                c,
                unsure,
                e.click() == null ? null : e.click().url(),
                false,
                e.source());
    }

    public boolean click() {
        return type == EmailEventType.CLICKED;
    }

    /** A click on a link: what a burst is made of. */
    boolean linked() {
        return click() && link != null;
    }

    Hit withBurst(boolean inBurst) {
        return inBurst == burst
                ? this
                : new Hit(eventId, type, occurredAt, classification, unsure, link, inBurst, source);
    }

    /** Observed by our own tracking: an open by our pixel, a click by our redirect. */
    boolean ours() {
        return source == (click() ? EventSource.TRACKING_REDIRECT : EventSource.TRACKING_PIXEL);
    }

    /** Before {@code scannerUntil} (delivery + the scanner window) from a client the edge was unsure of. */
    boolean tooSoon(Instant scannerUntil) {
        return unsure && scannerUntil != null && occurredAt.isBefore(scannerUntil);
    }

    /** A machine's in context: the edge said so, or a rule did. */
    boolean machine(Instant scannerUntil) {
        return classification == Classification.MACHINE || burst || tooSoon(scannerUntil);
    }
}
