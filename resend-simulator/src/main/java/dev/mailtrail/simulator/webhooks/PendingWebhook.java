package dev.mailtrail.simulator.webhooks;

/**
 * One webhook message to deliver. Its id and body never change: every attempt (retries and duplicates too) sends the
 * same {@code svix-id} and bytes; only {@code svix-timestamp} and the signature are fresh per attempt.
 */
public record PendingWebhook(String svixId, EmailEventType type, String emailId, String payload) {}
