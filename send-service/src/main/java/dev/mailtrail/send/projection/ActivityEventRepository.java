package dev.mailtrail.send.projection;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.db.BatchInsert;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
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
    private final EngagementRules rules;

    public ActivityEventRepository(DatabaseClient db, EngagementRules rules) {
        this.db = db;
        this.rules = rules;
    }

    /**
     * Records the events in one multi-row statement and answers the ids that were new: the ones to apply.
     * A copy seen before (or twice in this batch) is dropped by the primary key.
     */
    public Flux<String> recordNew(List<Resolved> events) {
        if (events.isEmpty()) {
            return Flux.empty();
        }
        return ROWS.bind(db.sql(ROWS.sql() + " ON CONFLICT (activity_id, event_id) DO NOTHING RETURNING event_id"),
                        events)
                .map(row -> row.get("event_id", String.class))
                .all();
    }

    /**
     * The applied opens and clicks ({@link Engagement#counts}) of these activities, by activity, in one statement.
     * Run in the batch's transaction after {@link #recordNew}, it sees the batch's own and every committed one (a
     * batch committed after the states were read fails the save's version check, and the retry reads it). Only
     * what {@link Engagement} reads (id, type, time, source, the edge's classification and reasons, the link) is
     * read, not whole payloads: an activity with many hits is re-read often.
     */
    public Mono<Map<String, List<EmailEvent>>> engagement(Collection<String> activityIds) {
        if (activityIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT activity_id, event_id, type, occurred_at, source, classification,"
                        + " ARRAY(SELECT jsonb_array_elements_text(payload->'client'->'reasons')) AS reasons,"
                        + " payload->'click'->>'url' AS url"
                        + " FROM activity_event WHERE activity_id = ANY($1) AND type IN ('opened', 'clicked')")
                .bind(0, activityIds.toArray(String[]::new))
                .map(row -> Map.entry(row.get("activity_id", String.class), hit(row)))
                .all()
                .collect(HashMap::new, (map, row) -> map.computeIfAbsent(row.getKey(), id -> new ArrayList<>())
                        .add(row.getValue()));
    }

    private static EmailEvent hit(Readable row) {
        String url = row.get("url", String.class);
        EmailEvent.Client client = new EmailEvent.Client(null, null,
                Classification.fromWire(row.get("classification", String.class)),
                List.of(row.get("reasons", String[].class)));
        return new EmailEvent(EmailEvent.SCHEMA_VERSION, row.get("event_id", String.class),
                EmailEventType.fromWire(row.get("type", String.class)),
                ActivityStateRepository.instant(row, "occurred_at"), null,
                EventSource.fromWire(row.get("source", String.class)), row.get("activity_id", String.class), null,
                null, null, null, null, url == null ? null : new EmailEvent.Click(url, null), null, null, client);
    }

    /** The activity's {@link Timeline}: empty when no event of it was applied. */
    public Mono<List<EmailEvent>> timeline(String activityId) {
        return db.sql("SELECT payload FROM activity_event WHERE activity_id = $1")
                .bind(0, activityId)
                .map(ActivityEventRepository::payload)
                .all()
                .collectList()
                .map(events -> Timeline.of(events, rules));
    }

    private static EmailEvent payload(Readable row) {
        return WireJson.read(row.get("payload", Json.class).asArray(), EmailEvent.class);
    }

    /** An event and the activity it belongs to (its own tag, or found through Resend's email id). */
    public record Resolved(String activityId, EmailEvent event) {
    }
}
