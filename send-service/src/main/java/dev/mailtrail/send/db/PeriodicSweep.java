package dev.mailtrail.send.db;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A sweep that runs at start and then every {@code interval}, one run at a time (a tick during a run is dropped); a
 * run that fails is logged and the next tick tries again. What it does and says is the subclass's.
 */
public abstract class PeriodicSweep implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PeriodicSweep.class);

    private final String name;
    private final Duration interval;
    private volatile Disposable schedule;

    protected PeriodicSweep(String name, Duration interval) {
        this.name = name;
        this.interval = interval;
    }

    /** One run; answers how many rows it deleted. */
    protected abstract Mono<Long> sweep();

    /** After a run that deleted {@code deleted} rows (at least one). */
    protected abstract void swept(long deleted);

    @Override
    public void start() {
        schedule = Flux.interval(Duration.ZERO, interval)
                .onBackpressureDrop()
                .concatMap(
                        tick -> sweep().doOnNext(deleted -> {
                                    if (deleted > 0) {
                                        swept(deleted);
                                    }
                                })
                                .onErrorResume(e -> {
                                    log.warn("{} failed, retrying in {}: {}", name, interval, e.toString());
                                    return Mono.empty();
                                }),
                        0)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = schedule;
        schedule = null;
        if (current != null) {
            current.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return schedule != null;
    }
}
