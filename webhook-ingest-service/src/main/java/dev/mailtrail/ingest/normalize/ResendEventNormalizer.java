package dev.mailtrail.ingest.normalize;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Ids;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.ingest.tracking.ClientClassifier;
import dev.mailtrail.ingest.tracking.ClientHit;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Resend's webhook envelope → {@link EmailEvent}. Unknown enum values are carried, never fatal. */
@Component
public class ResendEventNormalizer {

    /** Resend's outbound email types; {@code email.received} is inbound mail and not ours to track. */
    public static final Map<String, EmailEventType> TYPES = Map.ofEntries(
            Map.entry("email.sent", EmailEventType.SENT),
            Map.entry("email.delivered", EmailEventType.DELIVERED),
            Map.entry("email.delivery_delayed", EmailEventType.DELIVERY_DELAYED),
            Map.entry("email.bounced", EmailEventType.BOUNCED),
            Map.entry("email.complained", EmailEventType.COMPLAINED),
            Map.entry("email.opened", EmailEventType.OPENED),
            Map.entry("email.clicked", EmailEventType.CLICKED),
            Map.entry("email.failed", EmailEventType.FAILED),
            Map.entry("email.scheduled", EmailEventType.SCHEDULED),
            Map.entry("email.suppressed", EmailEventType.SUPPRESSED));


    private final IpHasher ipHasher;
    private final ClientClassifier classifier;
    private final Clock clock;

    @Autowired
    public ResendEventNormalizer(IpHasher ipHasher, ClientClassifier classifier) {
        this(ipHasher, classifier, Clock.systemUTC());
    }

    ResendEventNormalizer(IpHasher ipHasher, ClientClassifier classifier, Clock clock) {
        this.ipHasher = ipHasher;
        this.classifier = classifier;
        this.clock = clock;
    }

    public NormalizedWebhook normalize(String svixId, byte[] body) {
        JsonNode root;
        try {
            root = WireJson.mapper().readTree(body);
        }
        catch (JacksonException e) {
            return new NormalizedWebhook.Malformed(null, "body is not JSON");
        }
        if (root == null || !root.isObject()) {
            return new NormalizedWebhook.Malformed(null, "body is not a JSON object");
        }
        String resendType = text(root, "type");
        if (resendType == null || resendType.isBlank()) {
            return new NormalizedWebhook.Malformed(null, "missing 'type'");
        }
        Instant occurredAt = timestamp(text(root, "created_at"));
        if (occurredAt == null) {
            return new NormalizedWebhook.Malformed(resendType, "missing or unreadable 'created_at'");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return new NormalizedWebhook.Malformed(resendType, "missing 'data'");
        }
        EmailEventType type = TYPES.get(resendType);
        if (type == null) {
            return new NormalizedWebhook.Unrecognized(resendType);
        }
        String emailId = text(data, "email_id");
        if (emailId == null) {
            return new NormalizedWebhook.Malformed(resendType, "missing 'data.email_id'");
        }
        Map<String, String> tags = tags(data.get("tags"));
        EmailEvent event = new EmailEvent(EmailEvent.SCHEMA_VERSION, "resend:" + svixId, type, occurredAt,
                clock.instant(), EventSource.RESEND_WEBHOOK, id(tags.get("activity_id")), id(tags.get("tenant_id")),
                emailId, strings(data.get("to")), text(data, "subject"), tags,
                click(data.get("click")), bounce(data.get("bounce")), failure(type, data), client(type, data.get("click")));
        return new NormalizedWebhook.Recognized(resendType, event);
    }

    private static EmailEvent.Click click(JsonNode click) {
        return click == null || !click.isObject() ? null : new EmailEvent.Click(text(click, "link"), null);
    }

    private static EmailEvent.Bounce bounce(JsonNode bounce) {
        if (bounce == null || !bounce.isObject()) {
            return null;
        }
        return EmailEvent.Bounce.of(text(bounce, "type"), text(bounce, "subType"), text(bounce, "message"));
    }

    private static EmailEvent.Failure failure(EmailEventType type, JsonNode data) {
        JsonNode detail = switch (type) {
            case FAILED -> data.get("failed");
            case SUPPRESSED -> data.get("suppressed");
            default -> null;
        };
        if (detail == null || !detail.isObject()) {
            return null;
        }
        String reason = text(detail, "reason");
        return new EmailEvent.Failure(reason != null ? reason : text(detail, "message"));
    }

    /** Resend's opens carry no client data (unknown); its clicks carry agent and IP, classified like our own. */
    private EmailEvent.Client client(EmailEventType type, JsonNode click) {
        if (type == EmailEventType.OPENED || (type == EmailEventType.CLICKED && (click == null || !click.isObject()))) {
            return new EmailEvent.Client(null, null, Classification.UNKNOWN, List.of());
        }
        if (type != EmailEventType.CLICKED) {
            return null;
        }
        String ip = text(click, "ipAddress");
        String agent = text(click, "userAgent");
        ClientClassifier.Verdict verdict = classifier.classify(ClientHit.get(agent, ip));
        return new EmailEvent.Client(ipHasher.hash(ip), agent, verdict.classification(), verdict.reasons());
    }

    /** Documented as an object, sent by Resend's own ingester as [{name, value}]: accept both. */
    static Map<String, String> tags(JsonNode tags) {
        Map<String, String> result = new LinkedHashMap<>();
        if (tags == null) {
            return result;
        }
        if (tags.isObject()) {
            tags.properties().forEach(e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                    result.put(e.getKey(), e.getValue().asString());
                }
            });
        }
        else if (tags.isArray()) {
            for (JsonNode tag : tags) {
                String name = text(tag, "name");
                String value = text(tag, "value");
                if (name != null && value != null) {
                    result.put(name, value);
                }
            }
        }
        return result;
    }

    /** Both {@code ...894719+00:00} and {@code ...894Z} occur. */
    static Instant timestamp(String value) {
        if (value == null) {
            return null;
        }
        Instant utc = WireJson.utcTimestamp(value);
        if (utc != null) {
            return utc;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The tag's value when it is a valid id, else null: the event then belongs to no activity by tag. */
    private static String id(String value) {
        return Ids.isValid(value) ? value : null;
    }

    private static List<String> strings(JsonNode node) {
        List<String> result = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(n -> result.add(n.asString()));
        }
        else if (node != null && node.isString()) {
            result.add(node.asString());
        }
        return result;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asString();
    }
}
