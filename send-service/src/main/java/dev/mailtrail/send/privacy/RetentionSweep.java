package dev.mailtrail.send.privacy;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.projection.PrivacyProperties;
import dev.mailtrail.send.schedule.Recurring;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Deletes the activities whose last fact was applied more than {@code MAILTRAIL_RETENTION} ago (state, timeline,
 * email-id links, stored requests), and their state from the compacted state topic (a tombstone through the outbox).
 * Daily, in batches of {@value #BATCH} activities, each in a transaction that holds an advisory lock first, so one
 * replica sweeps at a time (a replica that cannot take it skips that batch and the sweep ends). Index-backed:
 * {@code activity_state_retention} (V27) finds the candidates.
 */
@Component
class RetentionSweep implements SmartLifecycle {

    static final int BATCH = 1_000;
    /** "retn": its own advisory lock, apart from the outbox relay's. */
    static final long LOCK_KEY = 0x7265746eL;

    static final String EXPIRED = """
            SELECT tenant_id, activity_id FROM activity_state WHERE updated_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED""";

    private static final Logger log = LoggerFactory.getLogger(RetentionSweep.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final Outbox outbox;
    private final Clock clock;
    private final Duration retention;
    private final PrivacyMetrics metrics;
    private final Recurring schedule;

    RetentionSweep(
            DatabaseClient db,
            TransactionalOperator transaction,
            Outbox outbox,
            Clock clock,
            PrivacyProperties properties,
            PrivacyMetrics metrics) {
        this.db = db;
        this.transaction = transaction;
        this.outbox = outbox;
        this.clock = clock;
        this.retention = properties.retention();
        this.metrics = metrics;
        this.schedule = new Recurring(
                "Retention sweep",
                Duration.ZERO,
                properties.retentionSweepInterval(),
                () -> sweep().doOnNext(n -> {
                    if (n > 0) {
                        log.info("Deleted {} activity(ies) older than the retention of {}", n, retention);
                    }
                }),
                log);
    }

    @Override
    public void start() {
        schedule.start();
    }

    @Override
    public void stop() {
        schedule.stop();
    }

    @Override
    public boolean isRunning() {
        return schedule.isRunning();
    }

    /** Deletes everything expired as of now, batch by batch; answers how many activities went. */
    Mono<Long> sweep() {
        Instant cutoff = clock.instant().minus(retention);
        return batch(cutoff)
                .expand(n -> n == BATCH ? batch(cutoff) : Mono.empty())
                .reduce(0L, Long::sum)
                .doOnNext(metrics::retentionDeleted);
    }

    private Mono<Long> batch(Instant cutoff) {
        return db.sql("SELECT pg_try_advisory_xact_lock($1) AS sweeping")
                .bind(0, LOCK_KEY)
                .map(row -> row.get("sweeping", Boolean.class))
                .one()
                .flatMap(sweeping -> sweeping ? expired(cutoff) : Mono.just(List.<ActivityKey>of()))
                .flatMap(this::delete)
                .as(transaction::transactional);
    }

    private Mono<List<ActivityKey>> expired(Instant cutoff) {
        return db.sql(EXPIRED)
                .bind(0, cutoff.atOffset(ZoneOffset.UTC))
                .bind(1, BATCH)
                .map(row -> new ActivityKey(row.get("tenant_id", String.class), row.get("activity_id", String.class)))
                .all()
                .collectList();
    }

    private Mono<Long> delete(List<ActivityKey> keys) {
        if (keys.isEmpty()) {
            return Mono.just(0L);
        }
        String[] values = keys.stream().map(ActivityKey::value).toArray(String[]::new);
        String[] tenants = keys.stream().map(ActivityKey::tenantId).toArray(String[]::new);
        String[] ids = keys.stream().map(ActivityKey::activityId).toArray(String[]::new);
        return db.sql("DELETE FROM activity_event WHERE activity_key = ANY($1)")
                .bind(0, values)
                .then()
                .then(db.sql("DELETE FROM provider_message WHERE activity_key = ANY($1)")
                        .bind(0, values)
                        .then())
                .then(db.sql(
                                "DELETE FROM send_request r USING unnest($1::text[], $2::text[]) AS k (tenant_id, activity_id)"
                                        + " WHERE r.tenant_id = k.tenant_id AND r.activity_id = k.activity_id")
                        .bind(0, tenants)
                        .bind(1, ids)
                        .then())
                .then(db.sql(
                                "DELETE FROM activity_state s USING unnest($1::text[], $2::text[]) AS k (tenant_id, activity_id)"
                                        + " WHERE s.tenant_id = k.tenant_id AND s.activity_id = k.activity_id")
                        .bind(0, tenants)
                        .bind(1, ids)
                        .then())
                .then(outbox.add(keys.stream()
                        .map(k -> new Outbox.Message(Topics.ACTIVITY_STATE, k.value(), null, true))
                        .toList()))
                .thenReturn((long) keys.size());
    }
}
