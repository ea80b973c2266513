package dev.mailtrail.send.projection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Adds the states that existed before the rollups (V26) to them, once: {@value #BATCH} states per transaction in
 * activity_state's key order, the cursor saved with each batch, so a restart resumes where the last committed batch
 * ended and a second instance waits its turn on the lock ({@link RollupRepository}). Starts with the service; a
 * database with no states before V26 has nothing to do.
 */
@Component
class RollupBackfill implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RollupBackfill.class);
    static final int BATCH = 1_000;

    private final RollupRepository rollups;
    private final TransactionalOperator transaction;
    private final Counter states;
    private volatile Disposable run;

    RollupBackfill(RollupRepository rollups, TransactionalOperator transaction, MeterRegistry registry) {
        this.rollups = rollups;
        this.transaction = transaction;
        this.states = Counter.builder("mailtrail.reports.backfill.states")
                .description("Activity states the one-off backfill added to the engagement rollups")
                .register(registry);
    }

    /** Runs batches until done; answers how many states were added. */
    Mono<Long> backfill() {
        return batch().expand(added -> added == BATCH ? batch() : Mono.empty())
                .filter(added -> added > 0)
                .reduce(0L, Long::sum);
    }

    private Mono<Integer> batch() {
        return rollups.backfillBatch(BATCH).as(transaction::transactional).doOnNext(added -> {
            if (added > 0) {
                states.increment(added);
            }
        });
    }

    @Override
    public void start() {
        run = backfill()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1))
                        .maxBackoff(Duration.ofMinutes(1))
                        .doBeforeRetry(r -> log.warn(
                                "Rollup backfill failed, resuming from its cursor: {}",
                                r.failure().toString())))
                .subscribe(added -> {
                    if (added > 0) {
                        log.info("Rollup backfill done: {} activity state(s) added", added);
                    }
                });
    }

    @Override
    public void stop() {
        Disposable current = run;
        run = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return run != null;
    }
}
