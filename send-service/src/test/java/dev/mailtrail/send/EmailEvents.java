package dev.mailtrail.send;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.sending.SendFacts;
import org.springframework.kafka.core.KafkaTemplate;

/** Builder for test events: sensible defaults, override what the test is about. */
public final class EmailEvents {

    private String eventId = "resend:msg_" + UUID.randomUUID();
    private EmailEventType type = EmailEventType.DELIVERED;
    private Instant occurredAt = Instant.parse("2026-11-26T10:00:00.000Z");
    private EventSource source = EventSource.RESEND_WEBHOOK;
    private String activityId = "act-" + UUID.randomUUID();
    /** The tenant of every event, request and state a test does not give another one. */
    public static final String TENANT = "t-1";

    private String tenantId = TENANT;
    private String messageId = "em-" + UUID.randomUUID();
    private List<String> recipients = List.of("delivered@resend.dev");
    private String subject = "Hello";
    private Map<String, String> tags = Map.of();
    private Classification classification;
    private List<String> reasons = List.of();
    private EmailEvent.Click click;
    private EmailEvent.Bounce bounce;
    private EmailEvent.Failure failure;

    /** The activity of this id in the tests' default tenant. */
    public static ActivityKey key(String activityId) {
        return new ActivityKey(TENANT, activityId);
    }

    /** Publishes the events on crm.email.events as the ingest does, all at once, and waits for every ack. */
    public static void publish(KafkaTemplate<String, byte[]> kafka, Collection<EmailEvent> events) {
        CompletableFuture.allOf(events.stream()
                .map(e -> kafka.send(Topics.EVENTS, e.partitionKey(), WireJson.write(e)))
                .toArray(CompletableFuture[]::new)).join();
    }

    /**
     * The send-service's queued fact for an activity as acceptance writes it, declaring what our own tracking
     * observes ({@code own}), with the caller's {@code tags}.
     */
    public static EmailEvent queued(String activityId, Instant at, ActivityState.OwnTracking own,
            Map<String, String> tags) {
        SendEmailCommand command = new SendEmailCommand(SendEmailCommand.SCHEMA_VERSION, activityId, "t-1",
                "sales@acme.test", List.of("delivered@resend.dev"), null, null, null, "Hello", "<p>Hi</p>", null,
                tags, new SendEmailCommand.Tracking(own.opens(), own.clicks()));
        return SendFacts.queued(command, command.to(), false, OpenTracking.TRACKED, own, at);
    }

    public static EmailEvents event(EmailEventType type) {
        EmailEvents builder = new EmailEvents();
        builder.type = type;
        return builder;
    }

    public EmailEvents type(EmailEventType type) {
        this.type = type;
        return this;
    }

    public EmailEvents from(EventSource source) {
        this.source = source;
        return this;
    }

    /** One recipient, or none when null. */
    public EmailEvents to(String recipient) {
        this.recipients = recipient == null ? List.of() : List.of(recipient);
        return this;
    }

    /** Several recipients, in index order. */
    public EmailEvents to(List<String> recipients) {
        this.recipients = List.copyOf(recipients);
        return this;
    }

    /** Names the recipient of the message it is about ({@link Recipients}), or none when null. */
    public EmailEvents recipient(Integer index) {
        Map<String, String> named = new HashMap<>(tags);
        named.remove(Recipients.TAG);
        if (index != null) {
            named.putAll(Recipients.tag(index));
        }
        this.tags = Map.copyOf(named);
        return this;
    }

    public EmailEvents subject(String subject) {
        this.subject = subject;
        return this;
    }

    public EmailEvents tags(Map<String, String> tags) {
        this.tags = tags;
        return this;
    }

    public EmailEvents id(String eventId) {
        this.eventId = eventId;
        return this;
    }

    public EmailEvents at(Instant occurredAt) {
        this.occurredAt = occurredAt;
        return this;
    }

    public EmailEvents activity(String activityId) {
        this.activityId = activityId;
        return this;
    }

    public EmailEvents tenant(String tenantId) {
        this.tenantId = tenantId;
        return this;
    }

    public EmailEvents message(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public EmailEvents by(Classification classification, String... reasons) {
        this.classification = classification;
        this.reasons = List.of(reasons);
        return this;
    }

    public EmailEvents link(String url) {
        this.click = url == null ? null : new EmailEvent.Click(url, 0);
        return this;
    }

    public EmailEvents bounce(String type, String message) {
        this.bounce = type == null ? null : EmailEvent.Bounce.of(type, "General", message);
        return this;
    }

    public EmailEvents failure(String reason) {
        this.failure = reason == null ? null : new EmailEvent.Failure(reason);
        return this;
    }

    public EmailEvent build() {
        EmailEvent.Client client = classification == null ? null
                : new EmailEvent.Client(null, null, classification, reasons);
        return new EmailEvent(EmailEvent.SCHEMA_VERSION, eventId, type, occurredAt, occurredAt, source, activityId,
                tenantId, messageId, recipients, subject, tags, click, bounce, failure,
                client);
    }
}
