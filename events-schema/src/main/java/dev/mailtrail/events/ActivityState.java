package dev.mailtrail.events;

import java.time.Instant;
import java.util.List;

/**
 * The projection's one state per activity, as published on {@link Topics#ACTIVITY_STATE} after every
 * change. {@code version} increases with every change, so a reader can drop stale copies. {@code openCount} and
 * {@code clickCount} count human and unknown hits; {@code humanOpenCount} and {@code humanClickCount} are the
 * human ones among them (what the strict follow-up list reads); machine hits are counted apart.
 */
public record ActivityState(
        int schemaVersion,
        String activityId,
        String tenantId,
        long version,
        ActivityStatus status,
        String messageId,
        String recipient,
        String subject,
        OpenTracking openTracking,
        Instant queuedAt,
        Instant scheduledAt,
        Instant sentAt,
        Instant firstDelayedAt,
        Instant deliveredAt,
        Instant firstOpenedAt,
        Instant lastOpenedAt,
        long openCount,
        long machineOpenCount,
        long humanOpenCount,
        boolean openInferred,
        Instant firstClickedAt,
        Instant lastClickedAt,
        long clickCount,
        long machineClickCount,
        long humanClickCount,
        List<LinkClicks> links,
        Instant bouncedAt,
        EmailEvent.Bounce bounce,
        Instant complainedAt,
        Instant failedAt,
        String failureReason,
        Instant suppressedAt,
        Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;

    public ActivityState {
        links = links == null ? List.of() : List.copyOf(links);
    }

    public record LinkClicks(String url, long clicks, long machineClicks) {
    }
}
