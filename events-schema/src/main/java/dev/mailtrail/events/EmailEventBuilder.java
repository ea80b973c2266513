package dev.mailtrail.events;

import dev.mailtrail.events.EmailEvent.Bounce;
import dev.mailtrail.events.EmailEvent.Click;
import dev.mailtrail.events.EmailEvent.Client;
import dev.mailtrail.events.EmailEvent.Failure;
import dev.mailtrail.events.EmailEvent.Reply;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link EmailEvent} by component name: {@link EmailEvent#builder()} for a new one (current schema
 * version, everything else unset), {@link EmailEvent#toBuilder()} for a copy with some components changed. The
 * record's constructor still normalises what is built, so the wire form is the record's alone.
 * <p>
 * Hand-written: a builder library would bring an annotation processor into the contract module for one class
 * of boilerplate; this one is plain Java any consumer reads.
 */
public final class EmailEventBuilder {

    private int schemaVersion = EmailEvent.SCHEMA_VERSION;
    private String eventId;
    private EmailEventType type;
    private Instant occurredAt;
    private Instant receivedAt;
    private EventSource source;
    private String activityId;
    private String tenantId;
    private String providerMessageId;
    private List<String> recipients;
    private String subject;
    private Map<String, String> tags;
    private Click click;
    private Bounce bounce;
    private Failure failure;
    private Client client;
    private String messageId;
    private Reply reply;

    EmailEventBuilder() {}

    EmailEventBuilder(EmailEvent from) {
        schemaVersion = from.schemaVersion();
        eventId = from.eventId();
        type = from.type();
        occurredAt = from.occurredAt();
        receivedAt = from.receivedAt();
        source = from.source();
        activityId = from.activityId();
        tenantId = from.tenantId();
        providerMessageId = from.providerMessageId();
        recipients = from.recipients();
        subject = from.subject();
        tags = from.tags();
        click = from.click();
        bounce = from.bounce();
        failure = from.failure();
        client = from.client();
        messageId = from.messageId();
        reply = from.reply();
    }

    public EmailEventBuilder schemaVersion(int schemaVersion) {
        this.schemaVersion = schemaVersion;
        return this;
    }

    public EmailEventBuilder eventId(String eventId) {
        this.eventId = eventId;
        return this;
    }

    public EmailEventBuilder type(EmailEventType type) {
        this.type = type;
        return this;
    }

    public EmailEventBuilder occurredAt(Instant occurredAt) {
        this.occurredAt = occurredAt;
        return this;
    }

    public EmailEventBuilder receivedAt(Instant receivedAt) {
        this.receivedAt = receivedAt;
        return this;
    }

    public EmailEventBuilder source(EventSource source) {
        this.source = source;
        return this;
    }

    public EmailEventBuilder activityId(String activityId) {
        this.activityId = activityId;
        return this;
    }

    public EmailEventBuilder tenantId(String tenantId) {
        this.tenantId = tenantId;
        return this;
    }

    public EmailEventBuilder providerMessageId(String providerMessageId) {
        this.providerMessageId = providerMessageId;
        return this;
    }

    public EmailEventBuilder recipients(List<String> recipients) {
        this.recipients = recipients;
        return this;
    }

    public EmailEventBuilder subject(String subject) {
        this.subject = subject;
        return this;
    }

    public EmailEventBuilder tags(Map<String, String> tags) {
        this.tags = tags;
        return this;
    }

    public EmailEventBuilder click(Click click) {
        this.click = click;
        return this;
    }

    public EmailEventBuilder bounce(Bounce bounce) {
        this.bounce = bounce;
        return this;
    }

    public EmailEventBuilder failure(Failure failure) {
        this.failure = failure;
        return this;
    }

    public EmailEventBuilder client(Client client) {
        this.client = client;
        return this;
    }

    public EmailEventBuilder messageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public EmailEventBuilder reply(Reply reply) {
        this.reply = reply;
        return this;
    }

    public EmailEvent build() {
        return new EmailEvent(
                schemaVersion,
                eventId,
                type,
                occurredAt,
                receivedAt,
                source,
                activityId,
                tenantId,
                providerMessageId,
                recipients,
                subject,
                tags,
                click,
                bounce,
                failure,
                client,
                messageId,
                reply);
    }
}
