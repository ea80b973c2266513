package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.db.BatchInsert;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/** activity_state rows ↔ {@link ActivityState}. */
@Repository
public class ActivityStateRepository {

    private static final TypeReference<List<ActivityState.LinkClicks>> LINKS = new TypeReference<>() {};
    private static final TypeReference<List<ActivityState.Recipient>> RECIPIENTS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> TAGS = new TypeReference<>() {};

    private static final BatchInsert<ActivityState> ROWS = BatchInsert.<ActivityState>into("activity_state")
            .column("activity_id", "text", ActivityState::activityId)
            .column("tenant_id", "text", ActivityState::tenantId)
            .column("version", "bigint", ActivityState::version)
            .column("status", "text", s -> s.status().name())
            .column("status_rank", "smallint", s -> (short) s.status().rank())
            .column("message_id", "text", ActivityState::messageId)
            .column("recipient", "text", ActivityState::recipient)
            .column("subject", "text", ActivityState::subject)
            .column("open_tracking", "text", s -> s.openTracking().name())
            .column("own_tracking", "jsonb", ActivityState::ownTracking)
            .column("queued_at", "timestamptz", ActivityState::queuedAt)
            .column("scheduled_at", "timestamptz", ActivityState::scheduledAt)
            .column("sent_at", "timestamptz", ActivityState::sentAt)
            .column("first_delayed_at", "timestamptz", ActivityState::firstDelayedAt)
            .column("delivered_at", "timestamptz", ActivityState::deliveredAt)
            .column("first_opened_at", "timestamptz", ActivityState::firstOpenedAt)
            .column("last_opened_at", "timestamptz", ActivityState::lastOpenedAt)
            .column("open_count", "bigint", ActivityState::openCount)
            .column("machine_open_count", "bigint", ActivityState::machineOpenCount)
            .column("human_open_count", "bigint", ActivityState::humanOpenCount)
            .column("open_inferred", "boolean", ActivityState::openInferred)
            .column("first_clicked_at", "timestamptz", ActivityState::firstClickedAt)
            .column("last_clicked_at", "timestamptz", ActivityState::lastClickedAt)
            .column("click_count", "bigint", ActivityState::clickCount)
            .column("machine_click_count", "bigint", ActivityState::machineClickCount)
            .column("human_click_count", "bigint", ActivityState::humanClickCount)
            .column("links", "jsonb", ActivityState::links)
            .column("bounced_at", "timestamptz", ActivityState::bouncedAt)
            .column("bounce", "jsonb", ActivityState::bounce)
            .column("complained_at", "timestamptz", ActivityState::complainedAt)
            .column("unsubscribed_at", "timestamptz", ActivityState::unsubscribedAt)
            .column("failed_at", "timestamptz", ActivityState::failedAt)
            .column("failure_reason", "text", ActivityState::failureReason)
            .column("suppressed_at", "timestamptz", ActivityState::suppressedAt)
            .column("updated_at", "timestamptz", ActivityState::updatedAt)
            .column("recipients", "jsonb", ActivityState::recipients)
            .column("tags", "jsonb", ActivityState::tags)
            .column("replied_at", "timestamptz", ActivityState::repliedAt)
            .column("reply_count", "bigint", ActivityState::replyCount);

    private final DatabaseClient db;

    public ActivityStateRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<ActivityState> find(ActivityKey key) {
        return db.sql("SELECT * FROM activity_state WHERE tenant_id = $1 AND activity_id = $2")
                .bind(0, key.tenantId())
                .bind(1, key.activityId())
                .map(ActivityStateRepository::toState)
                .one();
    }

    /** The states of this activity id in every tenant, at most {@code limit} of them. */
    public Flux<ActivityState> findInEveryTenant(String activityId, int limit) {
        return db.sql("SELECT * FROM activity_state WHERE activity_id = $1 ORDER BY tenant_id LIMIT $2")
                .bind(0, activityId)
                .bind(1, limit)
                .map(ActivityStateRepository::toState)
                .all();
    }

    /**
     * The existing states of these activities, not locked: {@link #save} writes only the next version of what was
     * read, so a concurrent change fails the batch instead. Locking them (FOR UPDATE) wrote a lock to each row
     * that the save rewrites anyway, a tenth of PostgreSQL's time per event, for a conflict that needs two
     * partitions to carry one activity's events (only events without the activity's tag are keyed otherwise).
     */
    public Flux<ActivityState> current(Collection<ActivityKey> keys) {
        return db.sql(
                        "SELECT s.* FROM activity_state s JOIN unnest($1::text[], $2::text[]) AS k (tenant_id, activity_id)"
                                + " ON s.tenant_id = k.tenant_id AND s.activity_id = k.activity_id")
                .bind(0, keys.stream().map(ActivityKey::tenantId).toArray(String[]::new))
                .bind(1, keys.stream().map(ActivityKey::activityId).toArray(String[]::new))
                .map(ActivityStateRepository::toState)
                .all();
    }

    /**
     * Writes the states, each the next version of what is stored or version 1 of a new one, in at most two
     * statements: a plain INSERT of the new ones and an UPDATE of the stored ones, each in the order given (sorted by
     * the caller: two batches lock the rows they share in one order, no deadlock). A state whose stored version is
     * not the one before it (another consumer changed it since it was read), or a new one already stored, fails the
     * transaction, to be retried on the state that won. Not one upsert: INSERT ... ON CONFLICT DO UPDATE locks each
     * conflicting row (a WAL record and a dirtied page) before updating it, which a plain UPDATE does not.
     */
    public Mono<Void> save(List<ActivityState> states) {
        if (states.isEmpty()) {
            return Mono.empty();
        }
        List<ActivityState> created =
                states.stream().filter(s -> s.version() == 1).toList();
        List<ActivityState> changed =
                states.stream().filter(s -> s.version() > 1).toList();
        return written(created, ROWS.sql() + " ON CONFLICT (tenant_id, activity_id) DO NOTHING RETURNING activity_id")
                .concatWith(
                        written(changed, ROWS.updateSql(2) + " AND t.version = r.version - 1 RETURNING t.activity_id"))
                .reduce(0L, Long::sum)
                .flatMap(written -> written == states.size()
                        ? Mono.<Void>empty()
                        : Mono.error(new ConcurrentStateChangeException(states.size() - written)));
    }

    private Mono<Long> written(List<ActivityState> states, String sql) {
        return states.isEmpty()
                ? Mono.just(0L)
                : ROWS.bind(db.sql(sql), states)
                        .map(row -> row.get("activity_id", String.class))
                        .all()
                        .count();
    }

    public static ActivityState toState(Readable row) {
        Json bounce = row.get("bounce", Json.class);
        return ActivityState.builder()
                .activityId(row.get("activity_id", String.class))
                .tenantId(row.get("tenant_id", String.class))
                .version(row.get("version", Long.class))
                .status(ActivityStatus.valueOf(row.get("status", String.class)))
                .messageId(row.get("message_id", String.class))
                .recipient(row.get("recipient", String.class))
                .subject(row.get("subject", String.class))
                .openTracking(OpenTracking.valueOf(row.get("open_tracking", String.class)))
                .ownTracking(
                        WireJson.read(row.get("own_tracking", Json.class).asArray(), ActivityState.OwnTracking.class))
                .queuedAt(instant(row, "queued_at"))
                .scheduledAt(instant(row, "scheduled_at"))
                .sentAt(instant(row, "sent_at"))
                .firstDelayedAt(instant(row, "first_delayed_at"))
                .deliveredAt(instant(row, "delivered_at"))
                .firstOpenedAt(instant(row, "first_opened_at"))
                .lastOpenedAt(instant(row, "last_opened_at"))
                .openCount(row.get("open_count", Long.class))
                .machineOpenCount(row.get("machine_open_count", Long.class))
                .humanOpenCount(row.get("human_open_count", Long.class))
                .openInferred(row.get("open_inferred", Boolean.class))
                .firstClickedAt(instant(row, "first_clicked_at"))
                .lastClickedAt(instant(row, "last_clicked_at"))
                .clickCount(row.get("click_count", Long.class))
                .machineClickCount(row.get("machine_click_count", Long.class))
                .humanClickCount(row.get("human_click_count", Long.class))
                .links(WireJson.mapper().readValue(row.get("links", Json.class).asArray(), LINKS))
                .bouncedAt(instant(row, "bounced_at"))
                .bounce(bounce == null ? null : WireJson.read(bounce.asArray(), EmailEvent.Bounce.class))
                .complainedAt(instant(row, "complained_at"))
                .unsubscribedAt(instant(row, "unsubscribed_at"))
                .failedAt(instant(row, "failed_at"))
                .failureReason(row.get("failure_reason", String.class))
                .suppressedAt(instant(row, "suppressed_at"))
                .updatedAt(instant(row, "updated_at"))
                .recipients(WireJson.mapper()
                        .readValue(row.get("recipients", Json.class).asArray(), RECIPIENTS))
                .tags(WireJson.mapper().readValue(row.get("tags", Json.class).asArray(), TAGS))
                .repliedAt(instant(row, "replied_at"))
                .replyCount(row.get("reply_count", Long.class))
                .build();
    }

    static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** Another transaction wrote one of the batch's activities first. */
    static final class ConcurrentStateChangeException extends IllegalStateException {
        ConcurrentStateChangeException(long states) {
            super(states + " activity state(s) changed concurrently; the batch will be retried");
        }
    }
}
