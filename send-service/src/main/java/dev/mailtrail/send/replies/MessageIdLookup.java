package dev.mailtrail.send.replies;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import dev.mailtrail.send.projection.MessageThreads;
import dev.mailtrail.send.resend.ResendClient;
import dev.mailtrail.send.resend.ResendClient.ApiAnswer;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.http.HttpMethod;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;

/**
 * The fallback when a reply's {@code In-Reply-To} / {@code References} name no Message-ID we kept: the reply may have
 * beaten every event of its email that carries one. Asks Resend ({@code GET /emails/{id}}, its {@code message_id})
 * about the emails sent within the window whose activity has no Message-ID kept yet, newest first, at most the
 * configured number of calls per reply, keeps what it learns (so no email is asked about twice) and stops at the
 * first that the reply names.
 */
@Component
class MessageIdLookup {

    private static final Duration BOUND = Duration.ofMinutes(1);

    /** One sent message of an activity with no Message-ID kept. */
    private record Candidate(ActivityKey key, String emailId) {}

    private final DatabaseClient db;
    private final ResendClient resend;
    private final MessageThreads threads;
    private final ReplyLookupProperties properties;
    private final Clock clock;

    MessageIdLookup(
            DatabaseClient db,
            ResendClient resend,
            MessageThreads threads,
            ReplyLookupProperties properties,
            Clock clock) {
        this.db = db;
        this.resend = resend;
        this.threads = threads;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * The activity whose email's Message-ID is one of {@code threadIds}, learnt from Resend; null when none of the
     * candidates is. Throws when Resend is unavailable (the record is retried, as for the Receiving API).
     */
    ActivityKey find(List<String> threadIds) {
        if (threadIds.isEmpty() || properties.calls() == 0) {
            return null;
        }
        for (Candidate candidate : candidates()) {
            ApiAnswer answer = resend.call(HttpMethod.GET, "/emails/" + candidate.emailId());
            if (answer.worthRetrying()) {
                throw new IllegalStateException("Resend unavailable (HTTP " + answer.status() + "); retried");
            }
            String messageId = answer.ok() ? messageId(answer.body()) : null;
            if (messageId != null) {
                threads.keep(messageId, candidate.key()).block(BOUND);
                if (threadIds.contains(messageId)) {
                    return candidate.key();
                }
            }
        }
        return null;
    }

    private List<Candidate> candidates() {
        return db.sql("""
                SELECT r.tenant_id, r.activity_id, r.provider_message_id FROM send_request r
                WHERE r.status = 'SENT' AND r.provider_message_id IS NOT NULL AND r.updated_at > $1
                  AND NOT EXISTS (SELECT 1 FROM message_thread t
                                  WHERE t.tenant_id = r.tenant_id AND t.activity_id = r.activity_id)
                ORDER BY r.updated_at DESC LIMIT $2""")
                .bind(0, clock.instant().minus(properties.window()).atOffset(ZoneOffset.UTC))
                .bind(1, properties.calls())
                .map(row -> new Candidate(
                        new ActivityKey(row.get("tenant_id", String.class), row.get("activity_id", String.class)),
                        row.get("provider_message_id", String.class)))
                .all()
                .filter(c -> ResendClient.isResendId(c.emailId()))
                .collectList()
                .block(BOUND);
    }

    /** Resend's {@code message_id}, or null when it has none (or none that could be a Message-ID). */
    private static String messageId(String body) {
        try {
            String id = WireJson.mapper().readTree(body).path("message_id").asString(null);
            return id != null && WireText.firstForbidden(id, false) < 0 ? id : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
