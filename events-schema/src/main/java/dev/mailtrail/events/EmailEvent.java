package dev.mailtrail.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One observed fact about one email, whatever its source. {@code eventId} is deterministic, so a
 * re-delivered fact keeps its id and consumers can drop the copy.
 * <p>
 * Schema 2: an activity is {@code (tenantId, activityId)} ({@link ActivityKey}); a producer sets {@code tenantId}
 * wherever it sets {@code activityId}, and the Kafka key is the activity's key. Version 1 events are still read: one
 * naming an activity but no tenant belongs to whichever activity its {@code providerMessageId} was sent for.
 * <p>
 * Schema 3 (replies) adds the types {@code replied}, {@code auto_replied} and {@code inbound_received},
 * {@code messageId} (the email's RFC 5322 Message-ID, as Resend reports it from {@code email.sent} on; for
 * {@code inbound_received}, the inbound email's own) and {@code reply} (what a reply was). Both are null in older
 * events.
 */
public record EmailEvent(
        int schemaVersion,
        String eventId,
        EmailEventType type,
        Instant occurredAt,
        Instant receivedAt,
        EventSource source,
        String activityId,
        String tenantId,
        String providerMessageId,
        List<String> recipients,
        String subject,
        Map<String, String> tags,
        Click click,
        Bounce bounce,
        Failure failure,
        Client client,
        String messageId,
        Reply reply) {

    public static final int SCHEMA_VERSION = 3;
    /** The oldest version still read. */
    public static final int OLDEST_READ_VERSION = 1;

    public EmailEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(source, "source");
        occurredAt = occurredAt.truncatedTo(ChronoUnit.MILLIS);
        receivedAt = receivedAt == null ? null : receivedAt.truncatedTo(ChronoUnit.MILLIS);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
    }

    /** A new event, built by component name. */
    public static EmailEventBuilder builder() {
        return new EmailEventBuilder();
    }

    /** A builder holding this event's components, to change some of them. */
    public EmailEventBuilder toBuilder() {
        return new EmailEventBuilder(this);
    }

    /** The activity it names, when it names one in full: an activity id means nothing without its tenant. */
    public ActivityKey activityKey() {
        return activityId != null && tenantId != null ? new ActivityKey(tenantId, activityId) : null;
    }

    /** The Kafka key: per activity, so one activity's events keep their order; else per provider message. */
    public String partitionKey() {
        ActivityKey key = activityKey();
        if (key != null) {
            return key.value();
        }
        return providerMessageId != null ? "resend:" + providerMessageId : activityId;
    }

    /** Human, machine or unknown; events without client data (every non-engagement event) are unknown. */
    public Classification classification() {
        return client == null || client.classification() == null ? Classification.UNKNOWN : client.classification();
    }

    public record Click(String url, Integer linkIndex) {}

    public record Bounce(String type, String subType, String message, boolean hard) {

        /** Resend's hard bounce. */
        public static final String PERMANENT = "Permanent";

        public static Bounce of(String type, String subType, String message) {
            return new Bounce(type, subType, message, PERMANENT.equals(type));
        }
    }

    public record Failure(String reason) {}

    /**
     * A reply to the activity's email: {@code kind} what an auto-reply is ({@code null} for a person's reply),
     * {@code inboundEmailId} the provider's id of the inbound email.
     */
    public record Reply(AutoReplyKind kind, String inboundEmailId) {}

    public record Client(String ipHash, String userAgent, Classification classification, List<String> reasons) {
        public Client {
            reasons = reasons == null ? List.of() : List.copyOf(reasons);
        }
    }
}
