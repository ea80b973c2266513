package dev.mailtrail.bench;

import com.svix.exceptions.EmptyWebhookSecretException;
import com.svix.exceptions.WebhookSigningException;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.fixtures.ResendWebhooks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Distinct Resend webhooks built from the fixtures (one per type, test-fixtures' ResendWebhooks): each activity
 * gets its own email id and a lifecycle of webhooks, each webhook its own svix-id; signed with the dev secret
 * just before it is sent, as Svix does.
 */
final class Webhooks {

    static final String TENANT = "bench";

    /** Activity lifecycles, used in turn; together they cover every type Resend sends about an email. */
    static final List<List<String>> LIFECYCLES = List.of(
            List.of(
                    "email.scheduled",
                    "email.sent",
                    "email.delivered",
                    "email.opened",
                    "email.opened",
                    "email.clicked"),
            List.of("email.sent", "email.delivered", "email.opened"),
            List.of("email.sent", "email.delivery_delayed", "email.delivered", "email.opened", "email.clicked"),
            List.of("email.sent", "email.bounced"),
            List.of("email.sent", "email.delivered", "email.complained"),
            List.of("email.failed"),
            List.of("email.suppressed"),
            List.of("email.sent", "email.delivered", "email.opened", "email.opened", "email.clicked", "email.clicked"));

    /** Verified types we do not model: accepted and kept raw, never projected. */
    // email.received is recognised since issue 25 (inbound_received): the bench's unmodelled type is a contact
    static final List<String> UNRECOGNIZED = List.of("contact.created");

    /** One webhook; {@code position} is its index in its activity's lifecycle (-1: not about an activity). */
    record Webhook(String svixId, String type, String activityId, int activityIndex, int position, String body) {

        String eventId() {
            return "resend:" + svixId;
        }

        boolean recognized() {
            return activityId != null;
        }
    }

    private final com.svix.Webhook signer;
    private final String runTag;
    private final Map<String, String> templates = new HashMap<>();
    private final Map<String, Integer> activitiesPerScope = new HashMap<>();
    private long webhookCounter;
    private final Instant base = Instant.now().minusSeconds(3600);

    Webhooks(String secret, String runTag) {
        try {
            this.signer = new com.svix.Webhook(secret);
        } catch (EmptyWebhookSecretException e) {
            throw new IllegalArgumentException("the webhook secret is empty");
        }
        this.runTag = runTag;
        for (List<String> lifecycle : LIFECYCLES) {
            lifecycle.forEach(type -> templates.computeIfAbsent(type, Webhooks::template));
        }
        UNRECOGNIZED.forEach(type -> templates.computeIfAbsent(type, Webhooks::template));
    }

    /**
     * The next {@code activities} activities of a scope (numbered on from the previous call), every webhook of
     * each in lifecycle order; with {@code unrecognized}, one unmodelled webhook after every 50.
     */
    synchronized List<Webhook> activities(String scope, int activities, boolean unrecognized) {
        List<Webhook> out = new ArrayList<>();
        int first = activitiesPerScope.getOrDefault(scope, 0);
        for (int a = first; a < first + activities; a++) {
            String activityId = activityId(scope, a);
            List<String> lifecycle = LIFECYCLES.get(a % LIFECYCLES.size());
            for (int p = 0; p < lifecycle.size(); p++) {
                String type = lifecycle.get(p);
                Instant at = base.plusSeconds(a % 3600).plusMillis(p * 1000L + 1);
                out.add(new Webhook(nextSvixId(), type, activityId, a, p, body(type, activityId, at)));
                if (unrecognized && out.size() % 50 == 0) {
                    String other = UNRECOGNIZED.get((out.size() / 50) % UNRECOGNIZED.size());
                    out.add(new Webhook(nextSvixId(), other, null, -1, -1, body(other, "x-" + activityId, at)));
                }
            }
        }
        activitiesPerScope.put(scope, first + activities);
        return out;
    }

    /** At least {@code count} webhooks: whole activities, so every lifecycle is complete. */
    List<Webhook> atLeast(String scope, int count, boolean unrecognized) {
        double perActivity = LIFECYCLES.stream().mapToInt(List::size).average().orElse(1);
        List<Webhook> out = new ArrayList<>();
        while (out.size() < count) {
            out.addAll(activities(
                    scope, Math.max(1, (int) Math.ceil((count - out.size()) / perActivity)), unrecognized));
        }
        return out;
    }

    String activityId(String scope, int index) {
        return runTag + "-" + scope + "-" + index;
    }

    String activityPrefix(String scope) {
        return runTag + "-" + scope + "-";
    }

    /** svix-id, svix-timestamp, svix-signature and the content type, signed at {@code epochSeconds}. */
    Map<String, String> headers(Webhook webhook, long epochSeconds) {
        return signedHeaders(webhook.svixId(), webhook.body(), epochSeconds);
    }

    Map<String, String> signedHeaders(String svixId, String body, long epochSeconds) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("svix-id", svixId);
        headers.put("svix-timestamp", Long.toString(epochSeconds));
        headers.put("svix-signature", sign(svixId, epochSeconds, body));
        return headers;
    }

    String sign(String svixId, long epochSeconds, String body) {
        try {
            return signer.sign(svixId, epochSeconds, body);
        } catch (WebhookSigningException e) {
            throw new IllegalStateException("signing failed: " + e.getMessage(), e);
        }
    }

    /** A POST of the webhook to {@code path}, signed now. */
    HttpLoad.Request request(String path, Webhook webhook) {
        return HttpLoad.Request.post(
                path,
                headers(webhook, Instant.now().getEpochSecond()),
                webhook.body().getBytes(StandardCharsets.UTF_8));
    }

    synchronized String nextSvixId() {
        return "msg_" + runTag + "_" + Long.toString(webhookCounter++, 36);
    }

    String body(String type, String activityId, Instant at) {
        String template = templates.computeIfAbsent(type, Webhooks::template);
        return template.replace("__CREATED_AT__", WireJson.format(at))
                .replace("__EMAIL_ID__", "em-" + activityId)
                .replace("__ACTIVITY_ID__", activityId)
                .replace("__TENANT_ID__", TENANT);
    }

    /** The fixture of a type with placeholders where each webhook differs. */
    static String template(String type) {
        ObjectNode envelope = (ObjectNode) WireJson.mapper().readTree(ResendWebhooks.read(type));
        envelope.put("created_at", "__CREATED_AT__");
        ObjectNode data = (ObjectNode) envelope.get("data");
        if (data.has("created_at")) {
            data.put("created_at", "__CREATED_AT__");
        }
        data.put(data.has("email_id") ? "email_id" : "id", "__EMAIL_ID__");
        if (data.get("click") instanceof ObjectNode click) {
            click.put("timestamp", "__CREATED_AT__");
        }
        JsonNode tags = data.get("tags");
        if (tags != null && tags.isArray()) {
            // Resend's own array spelling [{name, value}] stays as the fixture has it
            for (JsonNode tag : tags) {
                String name = tag.path("name").asString("");
                if (name.equals("activity_id")) {
                    ((ObjectNode) tag).put("value", "__ACTIVITY_ID__");
                } else if (name.equals("tenant_id")) {
                    ((ObjectNode) tag).put("value", "__TENANT_ID__");
                }
            }
        } else if (type.startsWith("email.") && !UNRECOGNIZED.contains(type)) {
            ObjectNode object = data.putObject("tags");
            object.put("activity_id", "__ACTIVITY_ID__");
            object.put("tenant_id", "__TENANT_ID__");
        }
        return WireJson.mapper().writeValueAsString(envelope);
    }

    /** The distinct (activityId, type, eventId) of the recognised webhooks, as {@link Applied#expected} takes them. */
    static List<String[]> triples(List<Webhook> webhooks) {
        return webhooks.stream()
                .filter(Webhook::recognized)
                .map(w -> new String[] {w.activityId(), w.type(), w.eventId()})
                .distinct()
                .toList();
    }
}
