package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.WireText;
import dev.mailtrail.send.projection.ActivityEventRepository.Resolved;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * The Message-ID each sent email got (Resend reports it from {@code email.sent} on), by activity, to thread a reply
 * whose {@code In-Reply-To} or {@code References} names it (V25 {@code message_thread}). One row per id, the first
 * activity to claim it keeps it; an id longer than a header line is no RFC 5322 id and is not kept.
 */
@Repository
public class MessageThreads {

    private final DatabaseClient db;

    MessageThreads(DatabaseClient db) {
        this.db = db;
    }

    /** Keeps the ids the batch's resolved events carry, in the batch's transaction. */
    Mono<Void> keep(List<Resolved> resolved) {
        Map<String, ActivityKey> ids = new LinkedHashMap<>();
        for (Resolved r : resolved) {
            if (r.event().type() != EmailEventType.INBOUND_RECEIVED) {
                String id = r.event().messageId();
                if (keepable(id)) {
                    ids.putIfAbsent(id, r.key());
                }
            }
        }
        return keep(ids);
    }

    /** Keeps one sent email's id (one Resend reported when asked); an id no RFC 5322 id is ignored. */
    public Mono<Void> keep(String messageId, ActivityKey owner) {
        return keepable(messageId) ? keep(Map.of(messageId, owner)) : Mono.empty();
    }

    private static boolean keepable(String id) {
        return id != null && !id.isEmpty() && id.length() <= WireText.MESSAGE_ID_MAX;
    }

    private Mono<Void> keep(Map<String, ActivityKey> ids) {
        if (ids.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("INSERT INTO message_thread (message_id, tenant_id, activity_id)"
                        + " SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING")
                .bind(0, ids.keySet().toArray(String[]::new))
                .bind(1, ids.values().stream().map(ActivityKey::tenantId).toArray(String[]::new))
                .bind(2, ids.values().stream().map(ActivityKey::activityId).toArray(String[]::new))
                .then();
    }

    /** The activity of the first of {@code messageIds} (in the order given) that is one of ours, if any. */
    public Mono<ActivityKey> owner(List<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("SELECT t.tenant_id, t.activity_id FROM message_thread t"
                        + " JOIN unnest($1::text[]) WITH ORDINALITY AS m (id, n) ON t.message_id = m.id"
                        + " ORDER BY m.n LIMIT 1")
                .bind(0, messageIds.toArray(String[]::new))
                .map(row -> new ActivityKey(row.get("tenant_id", String.class), row.get("activity_id", String.class)))
                .one();
    }
}
