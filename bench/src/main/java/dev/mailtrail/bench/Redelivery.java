package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.Webhooks.Webhook;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import reactor.core.publisher.Mono;

/**
 * Webhooks sent as Resend sends them: each POSTed until the ingest acknowledges it, re-signed on every attempt like
 * Svix; a 503 (or no answer) is retried after its Retry-After. A {@link Ledger} keeps what the sender saw.
 */
final class Redelivery {

    /** How long a webhook the ingest did not acknowledge is redelivered after the load ends (Resend: ~27 h). */
    static final Duration WINDOW = Duration.ofSeconds(90);

    /** What a webhook drill's sender saw: every delivery attempt by status, and which events were acknowledged. */
    static final class Ledger {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();

        void attempt(Answer a) {
            attempts.computeIfAbsent(a.statusKey(), k -> new LongAdder()).increment();
        }

        void answered(Webhook w, Answer a) {
            if (a.ok()) {
                acknowledged.add(w.eventId());
            }
        }

        Map<String, Long> attemptsByStatus() {
            Map<String, Long> map = new TreeMap<>();
            attempts.forEach((k, v) -> map.put(k, v.sum()));
            return map;
        }
    }

    /** A fault injected while the webhooks flow; it notes what it did in the drill's details. */
    @FunctionalInterface
    interface Fault {
        void inject(Map<String, Object> details) throws Exception;
    }

    private final DrillContext context;

    Redelivery(DrillContext context) {
        this.context = context;
    }

    /** Delivers one webhook until it is acknowledged, refused for good, or the deadline (System.nanoTime) passes. */
    Mono<Answer> deliver(HttpLoad load, Webhook w, long deadline, Ledger ledger) {
        return Mono.defer(() -> load.send(context.webhooks().request(IngestBench.INGEST, w)))
                .flatMap(a -> {
                    ledger.attempt(a);
                    boolean retry = !a.ok()
                            && (a.status() < 0 || a.status() == 429 || a.status() >= 500)
                            && System.nanoTime() < deadline;
                    return retry ? Mono.delay(retryAfter(a)).then(deliver(load, w, deadline, ledger)) : Mono.just(a);
                });
    }

    static Duration retryAfter(Answer a) {
        try {
            return Duration.ofSeconds(
                    Math.max(1, Math.min(5, Long.parseLong(a.retryAfter().trim()))));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** Webhooks paced at {@code rate}, each redelivered until acknowledged, while the fault runs; then settled. */
    Drill.Result underLoad(String name, List<Webhook> distinct, double rate, Fault fault) throws Exception {
        long t0 = System.nanoTime();
        Ledger ledger = new Ledger();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("offered_per_s", rate);
        try (HttpLoad load = new HttpLoad(context.target().config().ingestUrl(), 256, "drill-" + name)) {
            long deadline = t0 + (long) (distinct.size() / rate * 1e9) + WINDOW.toNanos();
            CompletableFuture<HttpLoad.Run> loading = CompletableFuture.supplyAsync(() -> {
                try {
                    return load.paced(distinct, w -> deliver(load, w, deadline, ledger), rate, 256, ledger::answered);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            });
            fault.inject(details);
            loading.get(distinct.size() / (long) rate + WINDOW.toSeconds() + 60, TimeUnit.SECONDS);
        }
        details.put("attempts_by_status", ledger.attemptsByStatus());
        return new Settlement(context).settle(name, distinct, ledger, details, t0);
    }
}
