package dev.mailtrail.send.schedule;

import java.time.Duration;
import java.util.function.Supplier;
import org.slf4j.Logger;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A background task run every {@code interval} once started: one run at a time (a tick that comes while a run is
 * still going is dropped, not queued), and a failed run is logged and the next tick tries again, so one bad run never
 * ends the schedule. Its owner starts and stops it from its {@code SmartLifecycle}.
 */
public final class Recurring {

    private final String what;
    private final Duration initialDelay;
    private final Duration interval;
    private final Supplier<Mono<?>> run;
    private final Logger log;
    private volatile Disposable schedule;

    /**
     * @param what         the task, for the log line of a failed run ("Parked-event sweep")
     * @param initialDelay before the first run
     * @param run          one run; subscribed once per tick
     * @param log          the owner's logger
     */
    public Recurring(String what, Duration initialDelay, Duration interval, Supplier<Mono<?>> run, Logger log) {
        this.what = what;
        this.initialDelay = initialDelay;
        this.interval = interval;
        this.run = run;
        this.log = log;
    }

    public void start() {
        schedule = Flux.interval(initialDelay, interval)
                .onBackpressureDrop()
                .concatMap(
                        tick -> Mono.defer(run).then().onErrorResume(e -> {
                            log.warn("{} failed, next in {}: {}", what, interval, e.toString());
                            return Mono.empty();
                        }),
                        0)
                .subscribe();
    }

    public void stop() {
        Disposable current = schedule;
        schedule = null;
        if (current != null) {
            current.dispose();
        }
    }

    public boolean isRunning() {
        return schedule != null;
    }
}
