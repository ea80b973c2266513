package dev.mailtrail.send.reconcile;

import dev.mailtrail.send.resend.ResendClient;
import dev.mailtrail.send.schedule.Recurring;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs a reconciliation pass every {@code interval}, on one replica at a time (a PostgreSQL advisory lock held by the
 * pass's transaction, as the outbox relay does): find the webhook, walk its log, sample activities stuck in
 * {@code SENT}. Without a webhook id (none set and {@code GET /webhooks} lists not exactly one, or Resend unreachable)
 * the pass does nothing but say so once and set {@code mailtrail.reconcile.active} to 0; the service runs on.
 */
@Component
class ReconcileSchedule implements SmartLifecycle {

    /** The advisory lock's key ("rcnc"): one reconciler at a time across replicas. */
    static final long LOCK_KEY = 0x72636e63L;

    private static final Logger logger = LoggerFactory.getLogger(ReconcileSchedule.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final Reconciler reconciler;
    private final WebhookLog log;
    private final ReconcileStore store;
    private final ReconcileMetrics metrics;
    private final ReconcileProperties properties;
    private final Clock clock;
    private final AtomicReference<String> offReason = new AtomicReference<>();
    private final Recurring schedule;

    ReconcileSchedule(
            DatabaseClient db,
            TransactionalOperator transaction,
            Reconciler reconciler,
            WebhookLog log,
            ReconcileStore store,
            ReconcileMetrics metrics,
            ReconcileProperties properties,
            Clock clock) {
        this.db = db;
        this.transaction = transaction;
        this.reconciler = reconciler;
        this.log = log;
        this.store = store;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
        this.schedule = new Recurring(
                "Reconciliation pass",
                properties.interval(),
                properties.interval(),
                () -> Mono.fromCallable(this::pass).subscribeOn(Schedulers.boundedElastic()),
                logger);
    }

    /** One pass if this replica gets the lock; answers whether it did. */
    boolean pass() {
        return db.sql("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .bind(0, LOCK_KEY)
                .map(row -> row.get("locked", Boolean.class))
                .one()
                // the pass blocks on HTTP and its own statements: never on the connection's event loop
                .publishOn(Schedulers.boundedElastic())
                .map(locked -> {
                    if (locked) {
                        webhookId().ifPresent(id -> {
                            reconciler.walk(id);
                            checkStuck();
                        });
                    }
                    return locked;
                })
                .as(transaction::transactional)
                .blockOptional(properties.interval().plus(Duration.ofMinutes(5)))
                .orElse(false);
    }

    private Optional<String> webhookId() {
        if (!properties.webhookId().isEmpty()) {
            return on(properties.webhookId());
        }
        try {
            List<String> ids = log.webhooks();
            return ids.size() == 1
                    ? on(ids.get(0))
                    : off(ids.size() + " webhooks listed and MAILTRAIL_RESEND_WEBHOOK_ID not set");
        } catch (WebhookLog.Unavailable e) {
            return off("Resend unreachable (" + e.getMessage() + ")");
        }
    }

    private Optional<String> on(String id) {
        if (offReason.getAndSet(null) != null) {
            logger.info("Reconciler on: walking the webhook's event log every {}", properties.interval());
        }
        metrics.active(true);
        return Optional.of(id);
    }

    private Optional<String> off(String reason) {
        if (!reason.equals(offReason.getAndSet(reason))) {
            logger.warn("Reconciler off: {}; no lost webhook is replayed until this is settled", reason);
        }
        metrics.active(false);
        return Optional.empty();
    }

    /** A bounded sample of activities in SENT past {@code stuck-after}: Resend further along is drift. */
    private void checkStuck() {
        for (String emailId :
                store.stuckInSent(clock.instant().minus(properties.stuckAfter()), properties.stuckSample())) {
            if (!ResendClient.isResendId(emailId)) {
                continue;
            }
            log.lastEvent(emailId)
                    .filter(lastEvent -> !lastEvent.equals("sent"))
                    .ifPresent(metrics::drift);
        }
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
