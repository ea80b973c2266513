package dev.mailtrail.send.privacy;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.projection.Redaction;
import io.r2dbc.postgresql.codec.Json;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** activity_event: each stored payload stripped ({@link Redaction#strip}), the link URL gone; type and time stay. */
@Component
@Order(1)
class TimelineErasure implements ErasureStep {

    private final DatabaseClient db;

    TimelineErasure(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> activities(Request request, List<ActivityKey> page) {
        String[] keys = page.stream().map(ActivityKey::value).toArray(String[]::new);
        return db.sql("SELECT activity_key, event_id, payload FROM activity_event"
                        + " WHERE activity_key = ANY($1) AND payload IS NOT NULL")
                .bind(0, keys)
                .map(row -> Map.entry(
                        new String[] {row.get("activity_key", String.class), row.get("event_id", String.class)},
                        WireJson.write(Redaction.strip(
                                WireJson.read(row.get("payload", Json.class).asArray(), EmailEvent.class)))))
                .all()
                .collectList()
                .flatMap(stripped -> stripped.isEmpty()
                        ? Mono.<Void>empty()
                        : db.sql("""
                                UPDATE activity_event e SET payload = s.payload::jsonb
                                FROM unnest($1::text[], $2::text[], $3::text[]) AS s (activity_key, event_id, payload)
                                WHERE e.activity_key = s.activity_key AND e.event_id = s.event_id""")
                                .bind(
                                        0,
                                        stripped.stream()
                                                .map(s -> s.getKey()[0])
                                                .toArray(String[]::new))
                                .bind(
                                        1,
                                        stripped.stream()
                                                .map(s -> s.getKey()[1])
                                                .toArray(String[]::new))
                                .bind(
                                        2,
                                        stripped.stream()
                                                .map(s -> new String(
                                                        s.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                                                .toArray(String[]::new))
                                .then())
                .then(db.sql("UPDATE activity_event SET link = NULL WHERE activity_key = ANY($1) AND link IS NOT NULL")
                        .bind(0, keys)
                        .then());
    }
}
