package dev.mailtrail.simulator.api;

import dev.mailtrail.simulator.ResendTimes;
import dev.mailtrail.simulator.SimulatorProperties;
import dev.mailtrail.simulator.webhooks.DeliveryAttempt;
import dev.mailtrail.simulator.webhooks.WebhookDispatcher;
import dev.mailtrail.simulator.webhooks.WebhookEventLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resend's webhook management and Headless Webhook API for the simulator's one webhook (the webhook URL): list
 * webhooks, list its events (newest first, {@code limit}/{@code after}), retrieve one, list its attempts, replay it.
 * Authentication and rate limiting are {@link ResendApiFilter}'s job.
 */
@RestController
class WebhooksController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;

    private final WebhookEventLog log;
    private final WebhookDispatcher dispatcher;
    private final JsonMapper mapper;
    private final String webhookId;
    private final String endpoint;
    private final Instant createdAt = Instant.now();

    WebhooksController(
            WebhookEventLog log, WebhookDispatcher dispatcher, JsonMapper mapper, SimulatorProperties properties) {
        this.log = log;
        this.dispatcher = dispatcher;
        this.mapper = mapper;
        this.endpoint = properties.webhookUrl().toString();
        // stable across restarts for the same URL, as a configured MAILTRAIL_RESEND_WEBHOOK_ID must stay valid
        this.webhookId = UUID.nameUUIDFromBytes(endpoint.getBytes(StandardCharsets.UTF_8))
                .toString();
    }

    @GetMapping("/webhooks")
    Map<String, Object> webhooks() {
        return list(
                List.of(ordered(
                        "id",
                        webhookId,
                        "endpoint",
                        endpoint,
                        "events",
                        null,
                        "status",
                        "enabled",
                        "created_at",
                        ResendTimes.microsOffset(createdAt))),
                false);
    }

    @GetMapping("/webhooks/{webhookId}/events")
    Map<String, Object> events(
            @PathVariable String webhookId,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String after) {
        requireWebhook(webhookId);
        int size = limit(limit);
        List<WebhookEventLog.Entry> page = log.page(after, size);
        return list(page.stream().limit(size).map(e -> summary(e, false)).toList(), page.size() > size);
    }

    @GetMapping("/webhooks/{webhookId}/events/{eventId}")
    Map<String, Object> event(@PathVariable String webhookId, @PathVariable String eventId) {
        requireWebhook(webhookId);
        return summary(find(eventId), true);
    }

    @GetMapping("/webhooks/{webhookId}/events/{eventId}/attempts")
    Map<String, Object> attempts(
            @PathVariable String webhookId,
            @PathVariable String eventId,
            @RequestParam(required = false) String limit,
            @RequestParam(required = false) String after) {
        requireWebhook(webhookId);
        int size = limit(limit);
        List<DeliveryAttempt> newestFirst = new ArrayList<>(find(eventId).attempts());
        Collections.reverse(newestFirst);
        int start = after == null
                ? 0
                : newestFirst.stream()
                                .map(WebhooksController::attemptId)
                                .toList()
                                .indexOf(after)
                        + 1;
        if (after != null && start == 0) {
            start = newestFirst.size();
        }
        List<DeliveryAttempt> page = newestFirst.subList(start, Math.min(newestFirst.size(), start + size));
        return list(page.stream().map(WebhooksController::attempt).toList(), start + size < newestFirst.size());
    }

    @PostMapping("/webhooks/{webhookId}/events/{eventId}/replay")
    Map<String, Object> replay(@PathVariable String webhookId, @PathVariable String eventId) {
        requireWebhook(webhookId);
        return dispatcher
                .replay(eventId)
                .map(w -> ordered("object", "webhook_event", "id", w.svixId()))
                .orElseThrow(() -> ResendApiException.notFound("Webhook event not found"));
    }

    private Map<String, Object> summary(WebhookEventLog.Entry entry, boolean detail) {
        Map<String, Object> body = ordered(
                "id", entry.webhook().svixId(),
                "type", entry.webhook().type().wireName(),
                "created_at", ResendTimes.microsOffset(entry.createdAt()),
                "status", entry.status().name());
        if (detail) {
            Map<String, Object> full = ordered("object", "webhook_event");
            full.putAll(body);
            full.put(
                    "next_attempt_at",
                    entry.nextAttemptAt() == null ? null : ResendTimes.microsOffset(entry.nextAttemptAt()));
            full.put("payload", mapper.readValue(entry.webhook().payload(), JsonNode.class));
            return full;
        }
        return body;
    }

    private static Map<String, Object> attempt(DeliveryAttempt attempt) {
        return ordered(
                "id", attemptId(attempt),
                "http_status_code", attempt.status(),
                "response", attempt.error() == null ? "" : attempt.error(),
                "created_at", ResendTimes.microsOffset(attempt.attemptedAt()));
    }

    /** Unique per event and attempt number, so an attempt's id never changes between listings. */
    private static String attemptId(DeliveryAttempt attempt) {
        return "atmpt_" + attempt.svixId().substring(attempt.svixId().indexOf('_') + 1) + "_" + attempt.attempt();
    }

    private WebhookEventLog.Entry find(String eventId) {
        return log.find(eventId).orElseThrow(() -> ResendApiException.notFound("Webhook event not found"));
    }

    private void requireWebhook(String id) {
        if (!webhookId.equals(id)) {
            throw ResendApiException.notFound("Webhook not found");
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value.trim());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ResendApiException.validation("The `limit` parameter must be a number between 1 and " + MAX_LIMIT + ".");
    }

    private static Map<String, Object> list(List<?> data, boolean hasMore) {
        return ordered("object", "list", "has_more", hasMore, "data", data);
    }

    /** A JSON object in the given key order; values may be {@code null} (Resend sends them as {@code null}). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
