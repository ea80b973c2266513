package dev.mailtrail.send.sending;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.OwnTrackingDeclaration;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.outbox.Outbox;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The send-service's own facts (queued, sent, failed, suppressed) as {@link EmailEvent}s with deterministic ids
 * {@code send:<tenantId>:<activityId>:<fact>}, each declaring an email nobody can observe opens of as NOT_TRACKED.
 * An email sent as one message per recipient is queued once, listing them all in index order with their number in
 * {@value Recipients#COUNT_TAG}; each message's sent or failed fact is
 * {@code send:<tenantId>:<activityId>:<index>:<fact>} and names its recipient ({@link Recipients}).
 * The queued fact also declares what our own tracking observes ({@link OwnTrackingDeclaration}).
 */
public final class SendFacts {

    /**
     * The dispatch key of a request the suppression list stopped (at acceptance or before its first attempt): no call
     * has it, so it is never claimed.
     */
    public static final String SUPPRESSED_DISPATCH_KEY = "suppressed";

    private SendFacts() {}

    public static EmailEvent queued(
            SendEmailCommand command,
            List<String> recipients,
            boolean perRecipient,
            OpenTracking openTracking,
            ActivityState.OwnTracking own,
            Instant at) {
        Map<String, String> tags = new HashMap<>(command.tags());
        tags.remove(Recipients.COUNT_TAG); // the send-service's word only
        if (perRecipient) {
            tags.put(Recipients.COUNT_TAG, Integer.toString(recipients.size()));
        }
        // ours, whatever a caller's tag of that name said
        tags.put(OwnTrackingDeclaration.TAG, OwnTrackingDeclaration.of(own));
        return fact(
                EmailEventType.QUEUED,
                command.activityId(),
                command.tenantId(),
                null,
                openTracking,
                at,
                recipients,
                command.subject(),
                tags,
                null,
                null);
    }

    static EmailEvent sent(Dispatch.Member member, String messageId, Instant at) {
        return fact(
                EmailEventType.SENT,
                member.activityId(),
                member.tenantId(),
                member.recipient(),
                member.openTracking(),
                at,
                List.of(),
                null,
                Map.of(),
                messageId,
                null);
    }

    static EmailEvent failed(Dispatch.Member member, String reason, Instant at) {
        return stopped(EmailEventType.FAILED, member, reason, at);
    }

    /** A message that will not go out ({@code type} FAILED or SUPPRESSED), with the reason. */
    private static EmailEvent stopped(EmailEventType type, Dispatch.Member member, String reason, Instant at) {
        return fact(
                type,
                member.activityId(),
                member.tenantId(),
                member.recipient(),
                member.openTracking(),
                at,
                List.of(),
                null,
                Map.of(),
                null,
                new EmailEvent.Failure(reason));
    }

    /**
     * An email the suppression list stopped before any call: the whole email (at acceptance), {@code reason} such as
     * {@code suppressed: hard_bounce}.
     */
    public static EmailEvent suppressed(SendEmailCommand command, String reason, Instant at) {
        return fact(
                EmailEventType.SUPPRESSED,
                command.activityId(),
                command.tenantId(),
                null,
                OpenTracking.NOT_TRACKED,
                at,
                List.of(),
                null,
                Map.of(),
                null,
                new EmailEvent.Failure(reason));
    }

    /** One message of a claimed call the suppression list stopped before its first attempt. */
    static EmailEvent suppressed(Dispatch.Member member, String reason, Instant at) {
        return stopped(EmailEventType.SUPPRESSED, member, reason, at);
    }

    /** On {@code crm.email.events}, keyed by activity; a fact, so never superseded. */
    public static Outbox.Message message(EmailEvent event) {
        return new Outbox.Message(Topics.EVENTS, event.partitionKey(), event, false);
    }

    /** {@code recipient}: the index of the recipient whose message it is, null for the email as a whole. */
    private static EmailEvent fact(
            EmailEventType type,
            String activityId,
            String tenantId,
            Integer recipient,
            OpenTracking openTracking,
            Instant at,
            List<String> recipients,
            String subject,
            Map<String, String> callerTags,
            String messageId,
            EmailEvent.Failure failure) {
        Map<String, String> tags = new HashMap<>(callerTags);
        if (openTracking == OpenTracking.NOT_TRACKED) {
            tags.put(OpenTracking.TAG, OpenTracking.NOT_TRACKED.name());
        }
        if (recipient != null) {
            tags.putAll(Recipients.tag(recipient));
        }
        String scope = new ActivityKey(tenantId, activityId).value() + (recipient == null ? "" : ":" + recipient);
        return EmailEvent.builder()
                .eventId("send:" + scope + ":" + type.wire())
                .type(type)
                .occurredAt(at)
                .receivedAt(at)
                .source(EventSource.SEND_SERVICE)
                .activityId(activityId)
                .tenantId(tenantId)
                .providerMessageId(messageId)
                .recipients(recipients)
                .subject(subject)
                .tags(tags)
                .failure(failure)
                .build();
    }
}
