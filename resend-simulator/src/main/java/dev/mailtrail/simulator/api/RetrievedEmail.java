package dev.mailtrail.simulator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mailtrail.simulator.ResendTimes;
import dev.mailtrail.simulator.store.SentEmail;
import java.util.List;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/** Resend's {@code GET /emails/{id}} body; absent fields are {@code null}, as Resend sends them. */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({
    "object",
    "id",
    "to",
    "from",
    "created_at",
    "subject",
    "html",
    "text",
    "bcc",
    "cc",
    "reply_to",
    "last_event",
    "scheduled_at",
    "tags",
    "message_id"
})
public record RetrievedEmail(
        String object,
        String id,
        List<String> to,
        String from,
        String createdAt,
        String subject,
        String html,
        String text,
        List<String> bcc,
        List<String> cc,
        List<String> replyTo,
        String lastEvent,
        String scheduledAt,
        List<SentEmail.Tag> tags,
        String messageId) {

    static RetrievedEmail of(SentEmail email) {
        return new RetrievedEmail(
                "email",
                email.id(),
                email.to(),
                email.from(),
                ResendTimes.microsOffset(email.createdAt()),
                email.subject(),
                email.html(),
                email.text(),
                email.bcc(),
                email.cc(),
                email.replyTo(),
                email.lastEvent(),
                email.scheduledAt(),
                email.tags(),
                email.messageId());
    }
}
