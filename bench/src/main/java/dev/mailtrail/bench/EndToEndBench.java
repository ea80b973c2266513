package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.HttpLoad.Run;
import dev.mailtrail.bench.Webhooks.Webhook;
import dev.mailtrail.events.WireJson;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Webhook answered → state visible through the query API: webhooks paced at half the measured ingest capacity;
 * for a sample of activities spread over the run, the first webhook's field is polled on
 * GET /api/crm/activities/{id} until it shows.
 */
final class EndToEndBench {

    private static final int SAMPLE_ACTIVITIES = 200;
    /**
     * Polls every 20 ms at first, then every tenth of the time waited (at most 1 s): ~10% resolution, and the polling
     * never becomes the send-service's main load when the state lags.
     */
    private static final long POLL_MIN_MS = 20;

    private static final long POLL_MAX_MS = 1000;
    private static final Duration GIVE_UP = Duration.ofSeconds(30);

    /** The state field that shows each webhook type has been applied. */
    static final Map<String, String> FIELD = Map.ofEntries(
            Map.entry("email.scheduled", "scheduledAt"),
            Map.entry("email.sent", "sentAt"),
            Map.entry("email.delivered", "deliveredAt"),
            Map.entry("email.delivery_delayed", "firstDelayedAt"),
            Map.entry("email.opened", "firstOpenedAt"),
            Map.entry("email.clicked", "firstClickedAt"),
            Map.entry("email.bounced", "bouncedAt"),
            Map.entry("email.complained", "complainedAt"),
            Map.entry("email.failed", "failedAt"),
            Map.entry("email.suppressed", "suppressedAt"));

    private final Target target;
    private final Webhooks webhooks;
    private final Kafka kafka;
    private final PrintStream out;

    EndToEndBench(Target target, Webhooks webhooks, Kafka kafka, PrintStream out) {
        this.target = target;
        this.webhooks = webhooks;
        this.kafka = kafka;
        this.out = out;
    }

    /**
     * Waits (at most 2 min) until the projection has no lag and the send-service's outbox is empty, so the
     * measurement starts from a quiet pipeline rather than from the earlier phases' leftovers.
     */
    void quiesce(Report report, String key) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofMinutes(2).toNanos();
        long outbox = -1;
        while (System.nanoTime() < deadline) {
            outbox = outboxRows();
            if (kafka.projectionLag() == 0 && outbox <= 0) {
                break;
            }
            Thread.sleep(250);
        }
        report.put(key + "_quiesce_s", Stats.round((System.nanoTime() - t0) / 1e9, 1));
        if (outbox > 0) {
            report.note(key + ": started with " + outbox + " outbox rows still unpublished after 2 min");
        }
    }

    /** Rows in the send-service's outbox; -1 when it cannot be read. */
    private long outboxRows() {
        try (Connection c = target.jdbc();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** Figures go to {@code <key>_p50_ms}, {@code <key>_p99_ms}, ... */
    void run(Report report, String key, double rate, int seconds) throws InterruptedException {
        quiesce(report, key);
        List<Webhook> load = webhooks.atLeast("e", (int) (rate * seconds), false);
        int firstActivity = load.get(0).activityIndex();
        int activities = load.get(load.size() - 1).activityIndex() - firstActivity + 1;
        int step = Math.max(1, activities / SAMPLE_ACTIVITIES);
        Latency visible = new Latency();
        Latency gets = new Latency();
        AtomicInteger notVisible = new AtomicInteger();
        Queue<CompletableFuture<Void>> probes = new ConcurrentLinkedQueue<>();
        String token = "Bearer " + target.config().apiToken();
        out.printf(
                Locale.ROOT,
                "%s: %,d webhooks at %,.0f/s, polling %d activities ...%n",
                key,
                load.size(),
                rate,
                Math.min(activities, SAMPLE_ACTIVITIES));
        // the projection's lag while the load runs: a growing lag means it cannot keep up with this rate
        AtomicLong maxLag = new AtomicLong();
        AtomicBoolean loading = new AtomicBoolean(true);
        Thread lagWatch = new Thread(
                () -> {
                    while (loading.get()) {
                        maxLag.accumulateAndGet(kafka.projectionLag(), Math::max);
                        try {
                            Thread.sleep(250);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "e2e-lag");
        lagWatch.setDaemon(true);
        lagWatch.start();
        Cpu cpu = new Cpu(target);
        Cpu.Sample cpuBefore = cpu.sample();
        Run run;
        try (HttpLoad ingest = new HttpLoad(target.config().ingestUrl(), 64, "e2e-load");
                HttpLoad query = new HttpLoad(target.config().sendUrl(), 16, "e2e-query")) {
            run = ingest.paced(
                    load, w -> ingest.send(webhooks.request(IngestBench.INGEST, w)), rate, 256, (w, answer) -> {
                        if (answer.ok() && w.position() == 0 && (w.activityIndex() - firstActivity) % step == 0) {
                            long answered = System.nanoTime();
                            probes.add(awaitVisible(query, token, w, answered, gets)
                                    .doOnNext(seen -> visible.recordNanos(seen - answered))
                                    .doOnError(e -> notVisible.incrementAndGet())
                                    .onErrorComplete()
                                    .then()
                                    .toFuture());
                        }
                    });
            loading.set(false);
            try {
                CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new))
                        .get(GIVE_UP.toSeconds() + 10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                report.note(key + ": probes did not finish: " + e.getMessage());
            }
        }
        Map<String, Double> cores = Cpu.cores(cpuBefore, cpu.sample());
        Latency.Summary e2e = visible.summary();
        out.printf(
                Locale.ROOT,
                "  %-28s %d samples  p50 %.1f ms  p99 %.1f ms  max %.1f ms  (max lag %,d)%s  cores %s%n",
                key,
                e2e.count(),
                e2e.p50(),
                e2e.p99(),
                e2e.max(),
                maxLag.get(),
                notVisible.get() == 0 ? "" : "  not visible within " + GIVE_UP.toSeconds() + " s: " + notVisible.get(),
                cores);
        boolean none = e2e.count() == 0;
        report.put(key + "_p50_ms", none ? null : e2e.p50());
        report.put(key + "_p90_ms", none ? null : e2e.p90());
        report.put(key + "_p99_ms", none ? null : e2e.p99());
        report.put(key + "_max_ms", none ? null : e2e.max());
        report.put(key + "_samples", e2e.count());
        report.put(key + "_not_visible", notVisible.get());
        report.put(key + "_offered_per_s", Stats.round(rate, 1));
        report.put(key + "_accepted_per_s", Stats.round(run.okPerSecond(), 1));
        report.put(key + "_webhook_p99_ms", run.latency().p99());
        report.put(key + "_errors_by_status", run.failures());
        report.put(key + "_max_projection_lag", maxLag.get());
        Latency.Summary polled = gets.summary();
        report.put(key + "_queries", polled.count());
        report.put(key + "_query_p99_ms", polled.p99());
        report.put(key + "_cpu_cores", cores);
        if (notVisible.get() > 0) {
            report.note(key + ": " + notVisible.get() + " sampled activities not visible within " + GIVE_UP.toSeconds()
                    + " s");
        }
    }

    /** Emits the nanoTime at which the webhook's field was first seen on the query API. */
    private static Mono<Long> awaitVisible(HttpLoad query, String token, Webhook w, long answered, Latency gets) {
        String field = FIELD.get(w.type());
        Request get = Request.get(
                "/api/crm/activities/" + w.activityId(), Map.of("Authorization", token, "Accept", "application/json"));
        return query.send(get)
                .doOnNext(a -> gets.recordNanos(a.nanos()))
                .filter(a -> shows(a, field))
                .map(a -> System.nanoTime())
                .repeatWhenEmpty(
                        Integer.MAX_VALUE,
                        ticks -> ticks.concatMap(
                                i -> Mono.delay(Duration.ofMillis(pollDelayMillis(System.nanoTime() - answered)))))
                .timeout(GIVE_UP);
    }

    static long pollDelayMillis(long waitedNanos) {
        return Math.max(POLL_MIN_MS, Math.min(POLL_MAX_MS, waitedNanos / 10_000_000L));
    }

    static boolean shows(Answer answer, String field) {
        if (answer.status() != 200) {
            return false;
        }
        JsonNode node = WireJson.mapper().readTree(answer.body());
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }
}
