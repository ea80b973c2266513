package dev.mailtrail.simulator.webhooks;

import java.time.Instant;

import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One attempt to deliver a webhook.
 *
 * @param status HTTP status answered, or {@code null} when there was no answer (see {@code error})
 * @param error  why the attempt failed without an HTTP answer (connection refused, timeout, ...), else {@code null}
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryAttempt(String svixId, String type, String emailId, int attempt, String url, Instant attemptedAt,
        Integer status, String error, long durationMs, boolean succeeded) {

    static DeliveryAttempt answered(PendingWebhook webhook, int attempt, String url, Instant at, int status,
            long durationMs) {
        return new DeliveryAttempt(webhook.svixId(), webhook.type().wireName(), webhook.emailId(), attempt, url, at,
                status, null, durationMs, status >= 200 && status < 300);
    }

    static DeliveryAttempt failed(PendingWebhook webhook, int attempt, String url, Instant at, String error,
            long durationMs) {
        return new DeliveryAttempt(webhook.svixId(), webhook.type().wireName(), webhook.emailId(), attempt, url, at,
                null, error, durationMs, false);
    }
}
