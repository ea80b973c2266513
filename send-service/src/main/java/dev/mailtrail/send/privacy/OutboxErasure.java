package dev.mailtrail.send.privacy;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.projection.Redaction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * outbox and outbox_refused: states not yet published are deleted (the redacted state, added after, supersedes
 * them); facts not yet published are stripped, so they still reach Kafka with their type and time.
 */
@Component
@Order(3)
class OutboxErasure implements ErasureStep {

    private final DatabaseClient db;

    OutboxErasure(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> activities(Request request, List<ActivityKey> page) {
        String[] keys = page.stream().map(ActivityKey::value).toArray(String[]::new);
        return db.sql("DELETE FROM outbox WHERE topic = $1 AND message_key = ANY($2)")
                .bind(0, Topics.ACTIVITY_STATE)
                .bind(1, keys)
                .then()
                .then(db.sql("DELETE FROM outbox_refused WHERE message_key = ANY($1)")
                        .bind(0, keys)
                        .then())
                .then(db.sql("SELECT id, payload FROM outbox WHERE topic = $1 AND message_key = ANY($2)")
                        .bind(0, Topics.EVENTS)
                        .bind(1, keys)
                        .map(row -> Map.entry(
                                row.get("id", Long.class),
                                new String(
                                        WireJson.write(Redaction.strip(WireJson.read(
                                                row.get("payload", String.class).getBytes(StandardCharsets.UTF_8),
                                                EmailEvent.class))),
                                        StandardCharsets.UTF_8)))
                        .all()
                        .collectList())
                .flatMap(facts -> facts.isEmpty()
                        ? Mono.empty()
                        : db.sql("UPDATE outbox o SET payload = f.payload"
                                        + " FROM unnest($1::bigint[], $2::text[]) AS f (id, payload) WHERE o.id = f.id")
                                .bind(0, facts.stream().map(Map.Entry::getKey).toArray(Long[]::new))
                                .bind(1, facts.stream().map(Map.Entry::getValue).toArray(String[]::new))
                                .then());
    }
}
