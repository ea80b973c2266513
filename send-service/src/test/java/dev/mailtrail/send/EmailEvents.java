package dev.mailtrail.send;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.AutoReplyKind;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventBuilder;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.sending.SendFacts;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Test events: sensible defaults on an {@link EmailEvent#builder()}, override what the test is about; the shorthands
 * say it in a test's terms (who classified a hit, which link, which recipient's message).
 */
public final class EmailEvents {

    /** The tenant of every event, request and state a test does not give another one. */
    public static final String TENANT = "t-1";

    private final EmailEventBuilder event = EmailEvent.builder()
            .eventId("resend:msg_" + UUID.randomUUID())
            .type(EmailEventType.DELIVERED)
            .source(EventSource.RESEND_WEBHOOK)
            .activityId("act-" + UUID.randomUUID())
            .tenantId(TENANT)
            .providerMessageId("em-" + UUID.randomUUID())
            .recipients(List.of("delivered@resend.dev"))
            .subject("Hello");
    // read back when a recipient is named
    private Map<String, String> tags = Map.of();

    private EmailEvents() {
        at(Instant.parse("2026-11-26T10:00:00.000Z"));
    }

    /** The activity of this id in the tests' default tenant. */
    public static ActivityKey key(String activityId) {
        return new ActivityKey(TENANT, activityId);
    }

    /** Publishes the events on crm.email.events as the ingest does, all at once, and waits for every ack. */
    public static void publish(KafkaTemplate<String, byte[]> kafka, Collection<EmailEvent> events) {
        CompletableFuture.allOf(events.stream()
                        .map(e -> kafka.send(Topics.EVENTS, e.partitionKey(), WireJson.write(e)))
                        .toArray(CompletableFuture[]::new))
                .join();
    }

    /**
     * The send-service's queued fact for an activity as acceptance writes it, declaring what our own tracking
     * observes ({@code own}), with the caller's {@code tags}.
     */
    public static EmailEvent queued(
            String activityId, Instant at, ActivityState.OwnTracking own, Map<String, String> tags) {
        SendEmailCommand command = new SendEmailCommand(
                SendEmailCommand.SCHEMA_VERSION,
                activityId,
                "t-1",
                "sales@acme.test",
                List.of("delivered@resend.dev"),
                null,
                null,
                null,
                "Hello",
                "<p>Hi</p>",
                null,
                tags,
                new SendEmailCommand.Tracking(own.opens(), own.clicks()));
        return SendFacts.queued(command, command.to(), false, OpenTracking.TRACKED, own, at);
    }

    public static EmailEvents event(EmailEventType type) {
        return new EmailEvents().type(type);
    }

    public EmailEvents type(EmailEventType type) {
        event.type(type);
        return this;
    }

    public EmailEvents from(EventSource source) {
        event.source(source);
        return this;
    }

    /** One recipient, or none when null. */
    public EmailEvents to(String recipient) {
        event.recipients(recipient == null ? List.of() : List.of(recipient));
        return this;
    }

    /** Several recipients, in index order. */
    public EmailEvents to(List<String> recipients) {
        event.recipients(recipients);
        return this;
    }

    /** Names the recipient of the message it is about ({@link Recipients}), or none when null. */
    public EmailEvents recipient(Integer index) {
        Map<String, String> named = new HashMap<>(tags);
        named.remove(Recipients.TAG);
        if (index != null) {
            named.putAll(Recipients.tag(index));
        }
        return tags(named);
    }

    public EmailEvents subject(String subject) {
        event.subject(subject);
        return this;
    }

    public EmailEvents tags(Map<String, String> tags) {
        this.tags = Map.copyOf(tags);
        event.tags(this.tags);
        return this;
    }

    public EmailEvents id(String eventId) {
        event.eventId(eventId);
        return this;
    }

    /** When it occurred, and was received: the same instant. */
    public EmailEvents at(Instant occurredAt) {
        event.occurredAt(occurredAt).receivedAt(occurredAt);
        return this;
    }

    public EmailEvents activity(String activityId) {
        event.activityId(activityId);
        return this;
    }

    public EmailEvents tenant(String tenantId) {
        event.tenantId(tenantId);
        return this;
    }

    public EmailEvents message(String messageId) {
        event.providerMessageId(messageId);
        return this;
    }

    /** Classified by the tracking edge, for these reasons. */
    /** The email's RFC 5322 Message-ID, as Resend reports it ({@code message_id}). */
    public EmailEvents threadId(String messageId) {
        event.messageId(messageId);
        return this;
    }

    public EmailEvents by(Classification classification, String... reasons) {
        event.client(
                classification == null ? null : new EmailEvent.Client(null, null, classification, List.of(reasons)));
        return this;
    }

    public EmailEvents link(String url) {
        event.click(url == null ? null : new EmailEvent.Click(url, 0));
        return this;
    }

    public EmailEvents bounce(String type, String message) {
        event.bounce(type == null ? null : EmailEvent.Bounce.of(type, "General", message));
        return this;
    }

    public EmailEvents failure(String reason) {
        event.failure(reason == null ? null : new EmailEvent.Failure(reason));
        return this;
    }

    /** A reply fact's details ({@code kind} null: a person's reply), as the reply matcher writes them. */
    public EmailEvents reply(AutoReplyKind kind, String inboundEmailId) {
        event.reply(new EmailEvent.Reply(kind, inboundEmailId));
        return this;
    }

    public EmailEvent build() {
        return event.build();
    }
}
