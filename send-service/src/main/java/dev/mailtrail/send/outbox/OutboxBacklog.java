package dev.mailtrail.send.outbox;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The {@code mailtrail.outbox.backlog} gauge: the span of outbox ids still present, measured after each relay pass.
 * The span (two index lookups), not count(*): counting scanned the churned table after every pass, an eighth of
 * PostgreSQL's time under load. An upper bound when rows were superseded.
 */
@Component
class OutboxBacklog {

    private static final Logger log = LoggerFactory.getLogger(OutboxBacklog.class);

    private final DatabaseClient db;
    private final OutboxMetrics metrics;
    /**
     * The highest id the relay deleted, where the gauge starts counting. A row with a lower id committed after it was
     * relayed (ids are taken at insert, not at commit) is relayed by the next pass as usual, but the gauge misses it
     * meanwhile. Touched only on the relay's thread.
     */
    private long relayedUpTo;

    OutboxBacklog(DatabaseClient db, OutboxMetrics metrics) {
        this.db = db;
        this.metrics = metrics;
    }

    /** A pass committed, deleting rows up to {@code lastId}. */
    void relayed(long lastId) {
        relayedUpTo = Math.max(relayedUpTo, lastId);
    }

    /** Measures the backlog now; a failure leaves the last value (and is only worth a debug line). */
    void measure(Duration bound) {
        try {
            // above the last id this relay deleted: the index scan for min(id) would otherwise walk every entry
            // of the rows just deleted (not vacuumed yet), milliseconds per pass under load
            metrics.backlog(db.sql("SELECT coalesce(max(id) - min(id) + 1, 0) AS n FROM outbox WHERE id > $1")
                    .bind(0, relayedUpTo)
                    .map(row -> row.get("n", Long.class))
                    .one()
                    .blockOptional(bound)
                    .orElse(0L));
        } catch (RuntimeException e) {
            log.debug("Outbox backlog not counted: {}", e.toString());
        }
    }
}
