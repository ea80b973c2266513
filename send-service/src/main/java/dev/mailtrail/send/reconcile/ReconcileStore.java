package dev.mailtrail.send.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The reconciler's memory in PostgreSQL: the walk's cursor per webhook, what was done about each event it had to act on
 * (replays, refusal), and the sample of activities stuck in {@code SENT}. Blocking: called from the pass's thread.
 */
@Component
class ReconcileStore {

    /** What was done about one event: how often replayed, when last, whether our ingest refused it for good. */
    record Handled(int replays, Instant lastReplayedAt, boolean refused) {
        static final Handled NONE = new Handled(0, null, false);
    }

    /** Rows of events handled longer ago than this are forgotten (Resend keeps its log for less). */
    static final Duration FORGET_AFTER = Duration.ofDays(30);

    private final DatabaseClient db;

    ReconcileStore(DatabaseClient db) {
        this.db = db;
    }

    Optional<String> cursor(String webhookId) {
        return db.sql("SELECT event_id FROM reconcile_cursor WHERE webhook_id = $1")
                .bind(0, webhookId)
                .map(row -> row.get("event_id", String.class))
                .one()
                .blockOptional();
    }

    void moveCursor(String webhookId, String eventId, Instant at) {
        db.sql("INSERT INTO reconcile_cursor (webhook_id, event_id, moved_at) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (webhook_id) DO UPDATE SET event_id = $2, moved_at = $3")
                .bind(0, webhookId)
                .bind(1, eventId)
                .bind(2, at)
                .then()
                .block();
    }

    Handled handled(String webhookId, String eventId) {
        return db.sql("SELECT replays, last_replayed_at, refused FROM reconcile_event"
                        + " WHERE webhook_id = $1 AND event_id = $2")
                .bind(0, webhookId)
                .bind(1, eventId)
                .map(row -> new Handled(
                        row.get("replays", Integer.class),
                        row.get("last_replayed_at", Instant.class),
                        row.get("refused", Boolean.class)))
                .one()
                .blockOptional()
                .orElse(Handled.NONE);
    }

    void replayed(String webhookId, String eventId, Instant at) {
        db.sql(
                        "INSERT INTO reconcile_event (webhook_id, event_id, replays, last_replayed_at, refused, touched_at)"
                                + " VALUES ($1, $2, 1, $3, false, $3) ON CONFLICT (webhook_id, event_id)"
                                + " DO UPDATE SET replays = reconcile_event.replays + 1, last_replayed_at = $3, touched_at = $3")
                .bind(0, webhookId)
                .bind(1, eventId)
                .bind(2, at)
                .then()
                .block();
    }

    void refused(String webhookId, String eventId, Instant at) {
        db.sql("INSERT INTO reconcile_event (webhook_id, event_id, replays, refused, touched_at)"
                        + " VALUES ($1, $2, 0, true, $3) ON CONFLICT (webhook_id, event_id)"
                        + " DO UPDATE SET refused = true, touched_at = $3")
                .bind(0, webhookId)
                .bind(1, eventId)
                .bind(2, at)
                .then()
                .block();
    }

    void forgetOlderThan(Instant before) {
        db.sql("DELETE FROM reconcile_event WHERE touched_at < $1")
                .bind(0, before)
                .then()
                .block();
    }

    /** Resend email ids of up to {@code limit} activities in {@code SENT} since before {@code sentBefore}, at random. */
    List<String> stuckInSent(Instant sentBefore, int limit) {
        return db.sql("SELECT message_id FROM activity_state WHERE status = 'SENT' AND sent_at < $1"
                        + " AND message_id IS NOT NULL ORDER BY random() LIMIT $2")
                .bind(0, sentBefore)
                .bind(1, limit)
                .map(row -> row.get("message_id", String.class))
                .all()
                .collectList()
                .block();
    }
}
