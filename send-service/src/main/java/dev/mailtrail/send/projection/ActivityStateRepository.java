package dev.mailtrail.send.projection;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.WireJson;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;

/** activity_state rows ↔ {@link ActivityState}. */
@Repository
public class ActivityStateRepository {

    private static final TypeReference<List<ActivityState.LinkClicks>> LINKS = new TypeReference<>() {
    };

    private final DatabaseClient db;

    public ActivityStateRepository(DatabaseClient db) {
        this.db = db;
    }

    public Mono<ActivityState> find(String activityId) {
        return db.sql("SELECT * FROM activity_state WHERE activity_id = $1")
                .bind(0, activityId)
                .map(ActivityStateRepository::toState)
                .one();
    }

    public Flux<ActivityState> findAll(Collection<String> activityIds) {
        return db.sql("SELECT * FROM activity_state WHERE activity_id = ANY($1)")
                .bind(0, activityIds.toArray(String[]::new))
                .map(ActivityStateRepository::toState)
                .all();
    }

    public Mono<Void> upsert(ActivityState s) {
        return db.sql("""
                INSERT INTO activity_state (activity_id, tenant_id, version, status, status_rank, message_id, recipient,
                    subject, open_tracking, queued_at, scheduled_at, sent_at, first_delayed_at, delivered_at,
                    first_opened_at, last_opened_at, open_count, machine_open_count, open_inferred, first_clicked_at,
                    last_clicked_at, click_count, machine_click_count, links, bounced_at, bounce, complained_at,
                    failed_at, failure_reason, suppressed_at, updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                    $22, $23, $24, $25, $26, $27, $28, $29, $30, $31)
                ON CONFLICT (activity_id) DO UPDATE SET tenant_id = EXCLUDED.tenant_id, version = EXCLUDED.version,
                    status = EXCLUDED.status, status_rank = EXCLUDED.status_rank, message_id = EXCLUDED.message_id,
                    recipient = EXCLUDED.recipient, subject = EXCLUDED.subject,
                    open_tracking = EXCLUDED.open_tracking, queued_at = EXCLUDED.queued_at,
                    scheduled_at = EXCLUDED.scheduled_at, sent_at = EXCLUDED.sent_at,
                    first_delayed_at = EXCLUDED.first_delayed_at, delivered_at = EXCLUDED.delivered_at,
                    first_opened_at = EXCLUDED.first_opened_at, last_opened_at = EXCLUDED.last_opened_at,
                    open_count = EXCLUDED.open_count, machine_open_count = EXCLUDED.machine_open_count,
                    open_inferred = EXCLUDED.open_inferred, first_clicked_at = EXCLUDED.first_clicked_at,
                    last_clicked_at = EXCLUDED.last_clicked_at, click_count = EXCLUDED.click_count,
                    machine_click_count = EXCLUDED.machine_click_count, links = EXCLUDED.links,
                    bounced_at = EXCLUDED.bounced_at, bounce = EXCLUDED.bounce,
                    complained_at = EXCLUDED.complained_at, failed_at = EXCLUDED.failed_at,
                    failure_reason = EXCLUDED.failure_reason, suppressed_at = EXCLUDED.suppressed_at,
                    updated_at = EXCLUDED.updated_at
                """)
                .bind(0, s.activityId())
                .bind(1, nullable(s.tenantId()))
                .bind(2, s.version())
                .bind(3, s.status().name())
                .bind(4, (short) s.status().rank())
                .bind(5, nullable(s.messageId()))
                .bind(6, nullable(s.recipient()))
                .bind(7, nullable(s.subject()))
                .bind(8, s.openTracking().name())
                .bind(9, time(s.queuedAt()))
                .bind(10, time(s.scheduledAt()))
                .bind(11, time(s.sentAt()))
                .bind(12, time(s.firstDelayedAt()))
                .bind(13, time(s.deliveredAt()))
                .bind(14, time(s.firstOpenedAt()))
                .bind(15, time(s.lastOpenedAt()))
                .bind(16, s.openCount())
                .bind(17, s.machineOpenCount())
                .bind(18, s.openInferred())
                .bind(19, time(s.firstClickedAt()))
                .bind(20, time(s.lastClickedAt()))
                .bind(21, s.clickCount())
                .bind(22, s.machineClickCount())
                .bind(23, Json.of(WireJson.write(s.links())))
                .bind(24, time(s.bouncedAt()))
                .bind(25, s.bounce() == null ? Parameter.NULL_JSON : Json.of(WireJson.write(s.bounce())))
                .bind(26, time(s.complainedAt()))
                .bind(27, time(s.failedAt()))
                .bind(28, nullable(s.failureReason()))
                .bind(29, time(s.suppressedAt()))
                .bind(30, s.updatedAt().atOffset(ZoneOffset.UTC))
                .then();
    }

    private static ActivityState toState(Readable row) {
        Json bounce = row.get("bounce", Json.class);
        return new ActivityState(ActivityState.SCHEMA_VERSION,
                row.get("activity_id", String.class),
                row.get("tenant_id", String.class),
                row.get("version", Long.class),
                ActivityStatus.valueOf(row.get("status", String.class)),
                row.get("message_id", String.class),
                row.get("recipient", String.class),
                row.get("subject", String.class),
                OpenTracking.valueOf(row.get("open_tracking", String.class)),
                instant(row, "queued_at"),
                instant(row, "scheduled_at"),
                instant(row, "sent_at"),
                instant(row, "first_delayed_at"),
                instant(row, "delivered_at"),
                instant(row, "first_opened_at"),
                instant(row, "last_opened_at"),
                row.get("open_count", Long.class),
                row.get("machine_open_count", Long.class),
                row.get("open_inferred", Boolean.class),
                instant(row, "first_clicked_at"),
                instant(row, "last_clicked_at"),
                row.get("click_count", Long.class),
                row.get("machine_click_count", Long.class),
                WireJson.mapper().readValue(row.get("links", Json.class).asArray(), LINKS),
                instant(row, "bounced_at"),
                bounce == null ? null : WireJson.read(bounce.asArray(), EmailEvent.Bounce.class),
                instant(row, "complained_at"),
                instant(row, "failed_at"),
                row.get("failure_reason", String.class),
                instant(row, "suppressed_at"),
                instant(row, "updated_at"));
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Object time(Instant instant) {
        return instant == null ? Parameter.NULL_TIME : instant.atOffset(ZoneOffset.UTC);
    }

    private static Object nullable(String value) {
        return value == null ? Parameter.NULL_TEXT : value;
    }

    /** Typed NULLs: R2DBC needs the type of a null bind. */
    private static final class Parameter {
        static final io.r2dbc.spi.Parameter NULL_TEXT = io.r2dbc.spi.Parameters.in(String.class);
        static final io.r2dbc.spi.Parameter NULL_TIME = io.r2dbc.spi.Parameters.in(OffsetDateTime.class);
        static final io.r2dbc.spi.Parameter NULL_JSON = io.r2dbc.spi.Parameters.in(Json.class);
    }
}
