package dev.mailtrail.send.projection;

import java.util.List;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.db.BatchInsert;
import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The applied-events table: dedupe key and timeline in one. */
@Repository
public class ActivityEventRepository {

    private static final BatchInsert<Resolved> ROWS = BatchInsert.<Resolved>into("activity_event")
            .column("event_id", "text", r -> r.event().eventId())
            .column("activity_id", "text", Resolved::activityId)
            .column("type", "text", r -> r.event().type().wire())
            .column("occurred_at", "timestamptz", r -> r.event().occurredAt())
            .column("source", "text", r -> r.event().source().wire())
            .column("classification", "text", r -> r.event().classification().wire())
            .column("payload", "jsonb", Resolved::event);

    private final DatabaseClient db;

    public ActivityEventRepository(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Records the events in one multi-row statement and answers the ids that were new: the ones to apply.
     * A copy seen before (or twice in this batch) is dropped by the primary key.
     */
    public Flux<String> recordNew(List<Resolved> events) {
        if (events.isEmpty()) {
            return Flux.empty();
        }
        return ROWS.bind(db.sql(ROWS.sql() + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id"), events)
                .map(row -> row.get("event_id", String.class))
                .all();
    }

    /** The activity's {@link Timeline}: empty when no event of it was applied. */
    public Mono<List<EmailEvent>> timeline(String activityId) {
        return db.sql("SELECT payload FROM activity_event WHERE activity_id = $1")
                .bind(0, activityId)
                .map(row -> WireJson.read(row.get("payload", Json.class).asArray(), EmailEvent.class))
                .all()
                .collectList()
                .map(Timeline::of);
    }

    /** An event and the activity it belongs to (its own tag, or found through Resend's email id). */
    public record Resolved(String activityId, EmailEvent event) {
    }
}
