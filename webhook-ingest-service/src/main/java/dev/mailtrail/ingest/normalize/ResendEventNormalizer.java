package dev.mailtrail.ingest.normalize;

import static dev.mailtrail.ingest.normalize.ResendJson.raw;
import static dev.mailtrail.ingest.normalize.ResendJson.text;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Ids;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.ingest.client.ClientClassifier;
import dev.mailtrail.ingest.client.ClientHit;
import dev.mailtrail.ingest.client.IpHasher;
import dev.mailtrail.ingest.verify.WebhookId;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Resend's webhook envelope → {@link EmailEvent}. Unknown enum values are carried, never fatal; Resend's text is
 * cleaned to the contract's limits ({@link ResendJson}); the two ids that become ours (the event id from the
 * svix-id, the provider message id) are refused when they could not be stored as they are.
 */
@Component
public class ResendEventNormalizer {

    /** Resend's outbound email types; {@code email.received} (inbound mail) becomes {@code inbound_received}. */
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
            Map.entry("email.suppressed", EmailEventType.SUPPRESSED),
            Map.entry("email.received", EmailEventType.INBOUND_RECEIVED));

    static final String EMAIL_ID = "data.email_id";

    private final IpHasher ipHasher;
    private final ClientClassifier classifier;
    private final Clock clock;

    public ResendEventNormalizer(IpHasher ipHasher, ClientClassifier classifier, Clock clock) {
        this.ipHasher = ipHasher;
        this.classifier = classifier;
        this.clock = clock;
    }

    /** {@code id}: the verified webhook's id, which becomes the event id; a problem with it names its header. */
    public NormalizedWebhook normalize(WebhookId id, byte[] body) {
        Instant received = clock.instant();
        JsonNode root;
        try {
            root = WireJson.mapper().readTree(body);
        } catch (JacksonException e) {
            return new NormalizedWebhook.Malformed(null, "body is not JSON");
        }
        if (root == null || !root.isObject()) {
            return new NormalizedWebhook.Malformed(null, "body is not a JSON object");
        }
        String resendType = raw(root, "type");
        if (resendType == null || resendType.isBlank()) {
            return new NormalizedWebhook.Malformed(null, "missing 'type'");
        }
        String idProblem = providerIdProblem(id.value());
        if (idProblem != null) {
            return new NormalizedWebhook.Invalid(resendType, id.header(), idProblem);
        }
        String createdAt = raw(root, "created_at");
        if (createdAt == null) {
            return new NormalizedWebhook.Malformed(resendType, "missing 'created_at'");
        }
        JsonNode data = root.get("data");
        if (data == null || !data.isObject()) {
            return new NormalizedWebhook.Malformed(resendType, "missing 'data'");
        }
        EmailEventType type = TYPES.get(resendType);
        if (type == null) {
            return new NormalizedWebhook.Unrecognized(resendType);
        }
        String emailId = raw(data, "email_id");
        if (emailId == null) {
            return new NormalizedWebhook.Malformed(resendType, "missing '" + EMAIL_ID + "'");
        }
        idProblem = providerIdProblem(emailId);
        if (idProblem != null) {
            return new NormalizedWebhook.Invalid(resendType, EMAIL_ID, idProblem);
        }
        if (type == EmailEventType.INBOUND_RECEIVED) {
            return new NormalizedWebhook.Recognized(resendType, inbound(id, emailId, createdAt, data, received));
        }
        Map<String, String> tags = ResendJson.tags(data.get("tags"));
        // an activity id means nothing without its tenant: an email tagged with one alone resolves through its id
        String tenantId = id(tags.get("tenant_id"));
        String activityId = tenantId == null ? null : id(tags.get("activity_id"));
        EmailEvent event = EmailEvent.builder()
                .eventId("resend:" + id.value())
                .type(type)
                .occurredAt(ResendJson.timestamp(createdAt, received))
                .receivedAt(received)
                .source(EventSource.RESEND_WEBHOOK)
                .activityId(activityId)
                .tenantId(tenantId)
                .providerMessageId(emailId)
                .recipients(ResendJson.texts(data.get("to"), WireText.ADDRESS_MAX))
                .subject(text(data, "subject", WireText.SUBJECT_MAX))
                .tags(tags)
                .click(click(data.get("click")))
                .bounce(bounce(data.get("bounce")))
                .failure(failure(type, data))
                .client(client(type, data.get("click")))
                .messageId(text(data, "message_id", WireText.MESSAGE_ID_MAX))
                .build();
        return new NormalizedWebhook.Recognized(resendType, event);
    }

    /**
     * {@code email.received}: its metadata only (the headers that tell a reply from an auto-reply are fetched by the
     * send-service from the Receiving API); the recipients are our addresses it was sent to, which may carry a reply
     * token.
     */
    private static EmailEvent inbound(WebhookId id, String emailId, String createdAt, JsonNode data, Instant received) {
        return EmailEvent.builder()
                .eventId("resend:" + id.value())
                .type(EmailEventType.INBOUND_RECEIVED)
                .occurredAt(ResendJson.timestamp(createdAt, received))
                .receivedAt(received)
                .source(EventSource.RESEND_WEBHOOK)
                .providerMessageId(emailId)
                .recipients(ResendJson.texts(data.get("to"), WireText.ADDRESS_MAX))
                .subject(text(data, "subject", WireText.SUBJECT_MAX))
                .messageId(text(data, "message_id", WireText.MESSAGE_ID_MAX))
                .build();
    }

    /**
     * Why a provider's id cannot become ours (an event id, a Kafka key, a stored column), or null. Theirs are 30-40
     * plain characters: anything else is not Resend's, and cleaning it would merge distinct ids.
     */
    static String providerIdProblem(String id) {
        if (id == null || id.isEmpty()) {
            return "is required";
        }
        if (id.length() > WireText.PROVIDER_ID_MAX) {
            return "must be at most " + WireText.PROVIDER_ID_MAX + " characters";
        }
        if (WireText.firstForbidden(id, false) >= 0) {
            return "must not contain control characters or unpaired surrogates";
        }
        return null;
    }

    private static EmailEvent.Click click(JsonNode click) {
        return click == null || !click.isObject()
                ? null
                : new EmailEvent.Click(text(click, "link", WireText.URL_MAX), null);
    }

    private static EmailEvent.Bounce bounce(JsonNode bounce) {
        if (bounce == null || !bounce.isObject()) {
            return null;
        }
        return EmailEvent.Bounce.of(
                text(bounce, "type", WireText.LABEL_MAX),
                text(bounce, "subType", WireText.LABEL_MAX),
                text(bounce, "message", WireText.MESSAGE_MAX));
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
        String reason = text(detail, "reason", WireText.MESSAGE_MAX);
        return new EmailEvent.Failure(reason != null ? reason : text(detail, "message", WireText.MESSAGE_MAX));
    }

    /** Resend's opens carry no client data (unknown); its clicks carry agent and IP, classified like our own. */
    private EmailEvent.Client client(EmailEventType type, JsonNode click) {
        if (type == EmailEventType.OPENED || (type == EmailEventType.CLICKED && (click == null || !click.isObject()))) {
            return new EmailEvent.Client(null, null, Classification.UNKNOWN, List.of());
        }
        if (type != EmailEventType.CLICKED) {
            return null;
        }
        String ip = raw(click, "ipAddress");
        // the hit cleans the agent: what is classified is what is published
        ClientHit hit = ClientHit.get(raw(click, "userAgent"), ip);
        ClientClassifier.Verdict verdict = classifier.classify(hit, TrackingToken.Kind.CLICK);
        return new EmailEvent.Client(ipHasher.hash(ip), hit.userAgent(), verdict.classification(), verdict.reasons());
    }

    /** The tag's value when it is a valid id, else null: the event then belongs to no activity by tag. */
    private static String id(String value) {
        return Ids.isValid(value) ? value : null;
    }
}
