package dev.mailtrail.send.projection;

import dev.mailtrail.send.schedule.Recurring;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes parked events older than {@code mailtrail.projection.parked-retention} (7 days: Resend stops retrying a
 * webhook after about a day and a half, and our own sends link their email id within seconds). What is still
 * parked then belongs to mail this service never sent, such as another system's on the same Resend account, and
 * would otherwise pile up for ever. Runs every {@code parked-sweep-interval}, a bounded batch per statement.
 */
@Component
class ParkedEventExpiry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ParkedEventExpiry.class);
    private static final int BATCH = 10_000;

    private final DatabaseClient db;
    private final Duration retention;
    private final Duration interval;
    private final ProjectionMetrics metrics;
    private final Recurring schedule;

    ParkedEventExpiry(DatabaseClient db, ProjectionMetrics metrics, ParkedEventProperties properties) {
        this.db = db;
        this.retention = properties.parkedRetention();
        this.interval = properties.parkedSweepInterval();
        this.metrics = metrics;
        this.schedule = new Recurring(
                "Parked-event sweep",
                Duration.ZERO,
                interval,
                () -> sweep().doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info(
                                "Deleted {} parked event(s) older than {}: their email id was never linked",
                                deleted,
                                retention);
                    }
                }),
                log);
    }

    /** Deletes what has expired and counts what is left; answers how many were deleted. */
    Mono<Long> sweep() {
        return deleteExpiredBatch()
                .expand(deleted -> deleted == BATCH ? deleteExpiredBatch() : Mono.empty())
                .reduce(0L, Long::sum)
                .doOnNext(metrics::parkedExpired)
                .flatMap(deleted -> db.sql("SELECT count(*) AS n FROM parked_event")
                        .map(row -> row.get("n", Long.class))
                        .one()
                        .doOnNext(metrics::parked)
                        .thenReturn(deleted));
    }

    private Mono<Long> deleteExpiredBatch() {
        return db.sql("DELETE FROM parked_event WHERE event_id IN (SELECT event_id FROM parked_event"
                        + " WHERE parked_at < now() - make_interval(secs => $1) LIMIT $2)")
                .bind(0, (double) retention.toSeconds())
                .bind(1, BATCH)
                .fetch()
                .rowsUpdated();
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
}
