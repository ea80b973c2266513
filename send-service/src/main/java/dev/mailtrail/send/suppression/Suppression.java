package dev.mailtrail.send.suppression;

import java.time.Instant;

/**
 * One entry of a tenant's suppression list: the API's item and the value on {@code crm.email.suppressions}.
 * {@code email} is normalised ({@link Addresses#normalised}); {@code activityId} names the activity whose fact put it
 * there (null for a manual entry).
 */
public record Suppression(String tenantId, String email, Reason reason, String activityId, Instant createdAt) {}
