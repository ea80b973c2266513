package dev.mailtrail.send.projection;

import java.time.ZoneOffset;
import java.util.List;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import io.r2dbc.postgresql.codec.Json;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

/** The applied-events table: dedupe key and timeline in one. */
@Repository
public class ActivityEventRepository {

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
        StringBuilder sql = new StringBuilder(
                "INSERT INTO activity_event (event_id, activity_id, type, occurred_at, source, classification, payload) VALUES ");
        for (int i = 0; i < events.size(); i++) {
            int p = i * 7;
            sql.append(i == 0 ? "" : ", ").append("($").append(p + 1).append(", $").append(p + 2).append(", $")
                    .append(p + 3).append(", $").append(p + 4).append(", $").append(p + 5).append(", $").append(p + 6)
                    .append(", $").append(p + 7).append(')');
        }
        sql.append(" ON CONFLICT (event_id) DO NOTHING RETURNING event_id");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString());
        for (int i = 0; i < events.size(); i++) {
            Resolved r = events.get(i);
            EmailEvent e = r.event();
            int p = i * 7;
            spec = spec.bind(p, e.eventId())
                    .bind(p + 1, r.activityId())
                    .bind(p + 2, e.type().wire())
                    .bind(p + 3, e.occurredAt().atOffset(ZoneOffset.UTC))
                    .bind(p + 4, e.source().wire())
                    .bind(p + 5, e.classification().wire())
                    .bind(p + 6, Json.of(WireJson.write(e)));
        }
        return spec.map(row -> row.get("event_id", String.class)).all();
    }

    /** An event and the activity it belongs to (its own tag, or found through Resend's email id). */
    public record Resolved(String activityId, EmailEvent event) {
    }
}
