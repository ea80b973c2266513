package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.HttpLoad.Run;
import dev.mailtrail.bench.Webhooks.Webhook;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Accepted webhooks per second at a fixed concurrency against POST /api/webhooks/resend, and the same against the
 * ingest's /bench/noop (same process, same bodies, answers 202 and does nothing else): the first 30 s of load on the
 * freshly started ingest (cold), warm-up, then noop and ingest runs in turn, medians reported, with the ingest
 * process's CPU per request of each.
 */
final class IngestBench {

    static final String INGEST = "/api/webhooks/resend";
    static final String NOOP = "/bench/noop";
    private static final int WARMUP_BATCH = 2_000;
    /** Small, so the cold window's slices see the JIT's progress and signing between runs stays short. */
    private static final int COLD_BATCH = 1_000;

    static final double WARMUP_MIN_SECONDS = 60;
    static final double WARMUP_MAX_SECONDS = 120;
    private static final int PAIRS = 3;
    private static final double RUN_SECONDS = 5;

    private final Target target;
    private final Webhooks webhooks;
    private final int concurrency;
    private final PrintStream out;
    private Cpu cpu;

    IngestBench(Target target, Webhooks webhooks, int concurrency, PrintStream out) {
        this.target = target;
        this.webhooks = webhooks;
        this.concurrency = concurrency;
        this.out = out;
    }

    void run(Report report, boolean pauseProjection) throws InterruptedException {
        cpu = new Cpu(target);
        try (HttpLoad load = new HttpLoad(target.config().ingestUrl(), concurrency, "ingest-load")) {
            boolean noop = noopAvailable(load);
            if (!noop) {
                report.note(
                        "no /bench/noop on the ingest (start it with SPRING_PROFILES_ACTIVE=bench): no ingest baseline");
            }
            boolean paused = pauseProjection && target.pause(Target.PROJECTION_SERVICE);
            report.put("ingest_projection_paused", paused);
            if (paused) {
                out.println(
                        "ingest: projection consumer paused (send-service SIGSTOPped) while the ingest is measured");
                report.note("the projection consumer was paused (SIGSTOP) during the ingest runs; "
                        + "ingest_per_s_projection_running is one run with it consuming");
            }
            List<Measured> ingestRuns = new ArrayList<>();
            List<Measured> noopRuns = new ArrayList<>();
            List<Map<String, Object>> runs = new ArrayList<>();
            try {
                cold(load, report);
                out.printf(
                        Locale.ROOT,
                        "ingest: warm-up (until steady, %.0f to %.0f s), concurrency %d ...%n",
                        WARMUP_MIN_SECONDS,
                        WARMUP_MAX_SECONDS,
                        concurrency);
                long warmStart = System.nanoTime();
                List<Double> warmRates = new ArrayList<>();
                Measured warm;
                do {
                    List<Webhook> batch = webhooks.atLeast("i", WARMUP_BATCH, true);
                    if (noop) {
                        measure(load, NOOP, batch);
                    }
                    warm = measure(load, INGEST, batch);
                    warmRates.add(warm.run().okPerSecond());
                } while (!warmedUp(warmRates, (System.nanoTime() - warmStart) / 1e9));
                out.printf(
                        Locale.ROOT,
                        "  warm-up took %.0f s; accepted/s per round: %s%n",
                        (System.nanoTime() - warmStart) / 1e9,
                        warmRates.stream()
                                .map(r -> String.format(Locale.ROOT, "%.0f", r))
                                .toList());
                report.put("ingest_warmup_s", Stats.round((System.nanoTime() - warmStart) / 1e9, 1));
                int size = runSize(warm.run().okPerSecond());
                for (int i = 0; i < PAIRS; i++) {
                    List<Webhook> batch = webhooks.atLeast("i", size, true);
                    if (noop) {
                        Measured n = measure(load, NOOP, batch);
                        noopRuns.add(n);
                        runs.add(describe("noop", n));
                        print("noop", n);
                    }
                    Measured r = measure(load, INGEST, batch);
                    ingestRuns.add(r);
                    runs.add(describe("ingest", r));
                    print("ingest", r);
                }
            } finally {
                if (paused) {
                    target.resume(Target.PROJECTION_SERVICE);
                }
            }
            Double ingest = Stats.round(
                    Stats.median(
                            ingestRuns.stream().map(m -> m.run().okPerSecond()).toList()),
                    1);
            Double baseline = noop
                    ? Stats.round(
                            Stats.median(noopRuns.stream()
                                    .map(m -> m.run().okPerSecond())
                                    .toList()),
                            1)
                    : null;
            report.put("ingest_per_s", ingest);
            report.put("ingest_noop_per_s", baseline);
            report.put("ingest_ratio", Stats.ratio(ingest, baseline));
            report.put(
                    "ingest_p50_ms",
                    Stats.median(ingestRuns.stream()
                            .map(m -> m.run().latency().p50())
                            .toList()));
            report.put(
                    "ingest_p99_ms",
                    Stats.median(ingestRuns.stream()
                            .map(m -> m.run().latency().p99())
                            .toList()));
            report.put(
                    "ingest_noop_p50_ms",
                    noop
                            ? Stats.median(noopRuns.stream()
                                    .map(m -> m.run().latency().p50())
                                    .toList())
                            : null);
            report.put(
                    "ingest_noop_p99_ms",
                    noop
                            ? Stats.median(noopRuns.stream()
                                    .map(m -> m.run().latency().p99())
                                    .toList())
                            : null);
            Double ingestCpu = medianCpuMicros(ingestRuns);
            Double noopCpu = medianCpuMicros(noopRuns);
            report.put("ingest_cpu_us_per_webhook", ingestCpu);
            report.put("noop_cpu_us_per_request", noop ? noopCpu : null);
            report.put("ingest_cpu_ratio", Stats.ratio(ingestCpu, noop ? noopCpu : null));
            report.put("cold_ratio", Stats.ratio(report.number("cold_first_30s_per_s"), ingest));
            report.put("ingest_concurrency", concurrency);
            // cores other work on the machine took meanwhile: the noise every figure here carries
            report.put(
                    "ingest_other_load_cores",
                    Stats.median(
                            ingestRuns.stream().map(m -> m.cores().get("other")).toList()));
            report.put(
                    "ingest_errors_by_status",
                    failures(ingestRuns.stream().map(Measured::run).toList()));
            report.put("ingest_runs", runs);

            if (paused) {
                List<Webhook> batch = webhooks.atLeast("i", runSize(ingest == null ? 1000 : ingest), true);
                Measured r = measure(load, INGEST, batch);
                print("ingest, projection running", r);
                runs.add(describe("ingest, projection running", r));
                report.put(
                        "ingest_per_s_projection_running", Stats.round(r.run().okPerSecond(), 1));
                report.put("ingest_p99_ms_projection_running", r.run().latency().p99());
            }
        }
    }

    /**
     * Load right after the stack reported ready, before any warm-up of ours: what a freshly deployed or restarted
     * ingest serves while its JIT catches up (the service's own warm-up before readiness is meant to shorten it).
     */
    private void cold(HttpLoad load, Report report) {
        out.printf(Locale.ROOT, "ingest: cold start, the first %.0f s of load ...%n", ColdStart.WINDOW_SECONDS);
        if (target.attached()) {
            report.note("attached stack: cold_* measure an ingest that may have served load before");
        }
        ColdStart cold = new ColdStart();
        // who had the cores under load (the bench's own client is as fresh as the ingest), weighted by time
        Map<String, Double> coreNanos = new TreeMap<>();
        while (!cold.done()) {
            Measured measured = measure(load, INGEST, webhooks.atLeast("i", COLD_BATCH, true));
            cold.add(measured.run());
            measured.cores()
                    .forEach((process, cores) ->
                            coreNanos.merge(process, cores * measured.run().elapsedNanos(), Double::sum));
        }
        Map<String, Double> cores = new TreeMap<>();
        coreNanos.forEach((process, weighted) -> cores.put(process, Stats.round(weighted / cold.elapsedNanos(), 2)));
        out.printf(
                Locale.ROOT,
                "  cold: %.0f accepted/s; per %.0f s: %s; cores %s%n",
                cold.perSecond(),
                ColdStart.SLICE_SECONDS,
                cold.perSecondBySlice(),
                cores);
        report.put("cold_first_30s_per_s", Stats.round(cold.perSecond(), 1));
        report.put("cold_per_s_by_10s", cold.perSecondBySlice());
        report.put("cold_cpu_cores", cores);
    }

    private static Double medianCpuMicros(List<Measured> runs) {
        return Stats.median(runs.stream()
                .map(m -> Cpu.microsPerRequest(m.ingestCpuNanos(), m.run().requests()))
                .toList());
    }

    /**
     * Warm once both JITs have compiled the hot paths: a fresh JVM on a busy 2-core machine keeps getting faster
     * for a minute or more, so rounds go on until three in a row agree within 10%, between the bounds.
     */
    static boolean warmedUp(List<Double> ratesPerRound, double seconds) {
        if (seconds >= WARMUP_MAX_SECONDS) {
            return true;
        }
        int n = ratesPerRound.size();
        if (seconds < WARMUP_MIN_SECONDS || n < 3) {
            return false;
        }
        List<Double> last = ratesPerRound.subList(n - 3, n);
        double max = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double min = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        return max - min <= 0.1 * max;
    }

    /** About RUN_SECONDS worth of webhooks at the rate seen. */
    private static int runSize(double perSecond) {
        return (int) Math.max(5_000, Math.min(50_000, perSecond * RUN_SECONDS));
    }

    /** Signs the whole batch first, so signing stays out of the measured time (Svix signs before it sends). */
    private Measured measure(HttpLoad load, String path, List<Webhook> batch) {
        long now = Instant.now().getEpochSecond();
        List<Request> requests = new ArrayList<>(batch.size());
        for (Webhook w : batch) {
            requests.add(Request.post(path, webhooks.headers(w, now), w.body().getBytes(StandardCharsets.UTF_8)));
        }
        Cpu.Sample before = cpu.sample();
        Run run = load.run(requests, load::send, concurrency, null);
        Cpu.Sample after = cpu.sample();
        return new Measured(run, Cpu.cores(before, after), Cpu.used(before, after, "ingest"));
    }

    /** A run, the CPU cores each process used meanwhile and the ingest process's CPU time (null when unknown). */
    record Measured(Run run, Map<String, Double> cores, Long ingestCpuNanos) {}

    private boolean noopAvailable(HttpLoad load) {
        HttpLoad.Answer answer = load.sendAndWait(
                Request.post(NOOP, Map.of("Content-Type", "application/json"), "{}".getBytes(StandardCharsets.UTF_8)));
        return answer.status() == 202;
    }

    private void print(String kind, Measured m) {
        Run r = m.run();
        out.printf(
                Locale.ROOT,
                "  %-28s %6d requests  %8.0f accepted/s  p50 %6.2f ms  p99 %7.2f ms  cores %s%s%n",
                kind,
                r.requests(),
                r.okPerSecond(),
                r.latency().p50(),
                r.latency().p99(),
                m.cores(),
                r.failures().isEmpty() ? "" : "  not accepted: " + r.failures());
    }

    private static Map<String, Object> describe(String kind, Measured m) {
        Run r = m.run();
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("kind", kind);
        run.put("requests", r.requests());
        run.put("accepted_per_s", Stats.round(r.okPerSecond(), 1));
        run.put("latency", r.latency().toMap());
        run.put("not_accepted", r.failures());
        run.put("cpu_cores", m.cores());
        run.put("ingest_cpu_us_per_request", Cpu.microsPerRequest(m.ingestCpuNanos(), r.requests()));
        return run;
    }

    static Map<String, Long> failures(List<Run> runs) {
        Map<String, Long> total = new TreeMap<>();
        runs.forEach(r -> r.failures().forEach((k, v) -> total.merge(k, v, Long::sum)));
        return total;
    }
}
