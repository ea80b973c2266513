package dev.mailtrail.send.projection;

import dev.mailtrail.send.db.PeriodicSweep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
class ParkedEventExpiry extends PeriodicSweep {

    private static final Logger log = LoggerFactory.getLogger(ParkedEventExpiry.class);
    private static final int BATCH = 10_000;

    private final DatabaseClient db;
    private final Duration retention;
    private final Counter expired;
    private final AtomicLong parked = new AtomicLong();

    ParkedEventExpiry(DatabaseClient db, MeterRegistry registry, ParkedEventProperties properties) {
        super("Parked-event sweep", properties.parkedSweepInterval());
        this.db = db;
        this.retention = properties.parkedRetention();
        this.expired = Counter.builder("mailtrail.projection.parked.expired")
                .description("Parked events deleted unlinked after the retention period")
                .register(registry);
        Gauge.builder("mailtrail.projection.parked", parked, AtomicLong::get)
                .description("Parked events waiting for their email id to be linked, as of the last sweep")
                .register(registry);
    }

    /** Deletes what has expired and counts what is left; answers how many were deleted. */
    @Override
    protected Mono<Long> sweep() {
        return deleteExpiredBatch()
                .expand(deleted -> deleted == BATCH ? deleteExpiredBatch() : Mono.empty())
                .reduce(0L, Long::sum)
                .doOnNext(expired::increment)
                .flatMap(deleted -> db.sql("SELECT count(*) AS n FROM parked_event")
                        .map(row -> row.get("n", Long.class))
                        .one()
                        .doOnNext(parked::set)
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
    protected void swept(long deleted) {
        log.info("Deleted {} parked event(s) older than {}: their email id was never linked", deleted, retention);
    }
}
