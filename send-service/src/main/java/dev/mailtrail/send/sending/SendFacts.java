package dev.mailtrail.send.sending;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.projection.ActivityFold;
import dev.mailtrail.send.projection.Corroboration;

/**
 * The send-service's own facts (queued, sent, failed) as {@link EmailEvent}s with deterministic ids
 * {@code send:<tenantId>:<activityId>:<fact>}, each declaring an email nobody can observe opens of as NOT_TRACKED;
 * the queued fact also declares what our own tracking observes ({@link Corroboration#TAG}).
 */
public final class SendFacts {

    private SendFacts() {
    }

    public static EmailEvent queued(SendEmailCommand command, List<String> recipients, OpenTracking openTracking,
            ActivityState.OwnTracking own, Instant at) {
        Map<String, String> tags = new HashMap<>(command.tags());
        // ours, whatever a caller's tag of that name said
        tags.put(Corroboration.TAG, Corroboration.declaration(own));
        return fact(EmailEventType.QUEUED, command.activityId(), command.tenantId(), openTracking, at, recipients,
                command.subject(), tags, null, null);
    }

    static EmailEvent sent(Dispatch.Member member, String messageId, Instant at) {
        return fact(EmailEventType.SENT, member.activityId(), member.tenantId(), member.openTracking(), at, List.of(),
                null, Map.of(), messageId, null);
    }

    static EmailEvent failed(Dispatch.Member member, String reason, Instant at) {
        return fact(EmailEventType.FAILED, member.activityId(), member.tenantId(), member.openTracking(), at,
                List.of(), null, Map.of(), null, new EmailEvent.Failure(reason));
    }

    /** On {@code crm.email.events}, keyed by activity; a fact, so never superseded. */
    public static Outbox.Message message(EmailEvent event) {
        return new Outbox.Message(Topics.EVENTS, event.partitionKey(), event, false);
    }

    private static EmailEvent fact(EmailEventType type, String activityId, String tenantId, OpenTracking openTracking,
            Instant at, List<String> recipients, String subject, Map<String, String> callerTags, String messageId,
            EmailEvent.Failure failure) {
        Map<String, String> tags = new HashMap<>(callerTags);
        if (openTracking == OpenTracking.NOT_TRACKED) {
            tags.put(ActivityFold.OPEN_TRACKING_TAG, OpenTracking.NOT_TRACKED.name());
        }
        return new EmailEvent(EmailEvent.SCHEMA_VERSION,
                "send:" + new ActivityKey(tenantId, activityId).value() + ":" + type.wire(), type, at, at,
                EventSource.SEND_SERVICE, activityId, tenantId, messageId, recipients, subject, tags, null, null,
                failure, null);
    }
}
