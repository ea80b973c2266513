package dev.mailtrail.ingest.verify;

/**
 * The id of a verified webhook and the header it was read from: {@code svix-id} or {@code webhook-id}, whichever
 * family the signature was checked against, since only that one is covered by it.
 */
public record WebhookId(String header, String value) {}
