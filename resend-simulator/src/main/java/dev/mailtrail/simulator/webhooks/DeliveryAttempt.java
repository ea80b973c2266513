package dev.mailtrail.simulator.webhooks;

import java.time.Instant;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * One attempt to deliver a webhook.
 *
 * @param attempt   1 for the first, then counting retries (and the chaos duplicate)
 * @param status    HTTP status answered, or {@code null} when there was no answer (see {@code error})
 * @param error     why the attempt failed without an HTTP answer (connection refused, timeout, ...), else {@code null}
 * @param succeeded a 2xx within the timeout; anything else (3xx too) is retried on Svix's schedule
 * @param duplicate a second delivery of an already delivered webhook, made by the {@code duplicate-rate} knob
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record DeliveryAttempt(
        String svixId,
        String type,
        String emailId,
        int attempt,
        String url,
        Instant attemptedAt,
        Integer status,
        String error,
        long durationMs,
        boolean succeeded,
        boolean duplicate) {

    /** {@code status} or {@code error} is {@code null}: an attempt either got an answer or did not. */
    static DeliveryAttempt of(
            PendingWebhook webhook,
            int attempt,
            boolean duplicate,
            String url,
            Instant at,
            Integer status,
            String error,
            long durationMs) {
        return new DeliveryAttempt(
                webhook.svixId(),
                webhook.type().wireName(),
                webhook.emailId(),
                attempt,
                url,
                at,
                status,
                error,
                durationMs,
                status != null && status >= 200 && status < 300,
                duplicate);
    }
}
