package dev.mailtrail.bench;

import dev.mailtrail.localstack.StackException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Entry point behind {@code ./mailtrail bench [--attach]} and {@code ./mailtrail drill}. Every figure is a ratio
 * against a baseline measured in the same run, with the absolute value beside it: these machines are noisy.
 */
public final class Bench {

    static final int E2E_WARMUP_MAX_RUNS = 8;
    static final List<String> PHASES = List.of("ingest", "projection", "flood", "e2e", "send");

    private Bench() {}

    public static void main(String[] args) {
        // the drills take Kafka away on purpose: its clients' reconnect warnings are expected there
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        List<String> arguments = List.of(args);
        String command = arguments.isEmpty() ? "help" : arguments.get(0);
        PrintStream out = System.out;
        int exit;
        try {
            exit = switch (command) {
                case "bench" -> bench(options(arguments.subList(1, arguments.size())), out);
                case "drill" -> drill(options(arguments.subList(1, arguments.size())), out);
                case "help", "-h", "--help" -> {
                    out.println(usage());
                    yield 0;
                }
                default -> {
                    System.err.println(usage());
                    yield 2;
                }
            };
        } catch (StackException | IllegalArgumentException e) {
            System.err.println("mailtrail: " + e.getMessage());
            exit = 1;
        } catch (Exception e) {
            System.err.println("mailtrail: " + command + " failed: " + e);
            e.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    static String usage() {
        return """
                usage: Bench bench [--attach] [--no-pause] [--only ingest,projection,flood,e2e,send]
                       Bench drill [--only bad-input,duplicates,postgres-outage,kafka-restart,send-service-kill,lost-webhooks,poison]
                (normally run through ./mailtrail bench / ./mailtrail drill)""";
    }

    /** --attach, --no-pause, --only a,b. */
    record Options(boolean attach, boolean pause, List<String> only) {}

    static Options options(List<String> args) {
        boolean attach = false;
        boolean pause = true;
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--attach" -> attach = true;
                case "--no-pause" -> pause = false;
                case "--only" -> {
                    if (i + 1 >= args.size()) {
                        throw new IllegalArgumentException("--only needs a comma-separated list");
                    }
                    only.addAll(List.of(args.get(++i).split(",")));
                }
                default -> throw new IllegalArgumentException("unknown option " + args.get(i) + "\n" + usage());
            }
        }
        return new Options(attach, pause, List.copyOf(only));
    }

    static int bench(Options options, PrintStream out) throws Exception {
        for (String phase : options.only()) {
            if (!PHASES.contains(phase)) {
                throw new IllegalArgumentException(
                        "unknown phase " + phase + " (phases: " + String.join(", ", PHASES) + ")");
            }
        }
        Path repo = repoRoot();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        int concurrency = setting("MAILTRAIL_BENCH_CONCURRENCY", 32);
        int events = setting("MAILTRAIL_BENCH_EVENTS", 100_000);
        int e2eSeconds = setting("MAILTRAIL_BENCH_E2E_SECONDS", 10);
        int sendEmails = setting("MAILTRAIL_BENCH_SEND_EMAILS", 1_000);
        // without the ingest phase there is no measured capacity to take half of
        int e2eRateWithoutIngest = setting("MAILTRAIL_BENCH_E2E_RATE", 500);
        Report report = new Report();
        report.put("started_at", started.toString());
        report.put("commit", Machine.commit(repo));
        report.put("machine", Machine.describe());
        String runTag = runTag();
        try (Target target = options.attach() ? Target.attach(repo, out) : Target.start(repo, "bench", Map.of(), out);
                Kafka kafka = new Kafka(target.config().kafkaBootstrapServers())) {
            report.put("stack", target.attached() ? "attached" : "started by the bench");
            report.put(
                    "tracing_sampling",
                    target.attached() ? "as the attached stack is configured" : target.tracingSampling());
            Webhooks webhooks = new Webhooks(target.config().webhookSecret(), runTag);
            if (runs(options, "ingest")) {
                new IngestBench(target, webhooks, concurrency, out).run(report, options.pause());
            }
            if (runs(options, "projection")) {
                new ProjectionBench(target, kafka, runTag, out).run(report, events);
            }
            if (runs(options, "flood")) {
                new FloodBench(target, kafka, runTag, out).run(report);
            }
            if (runs(options, "e2e")) {
                EndToEndBench e2e = new EndToEndBench(target, webhooks, kafka, out);
                double rate = e2eRate(report, e2eRateWithoutIngest);
                // the query API and the pipeline at this pace are new work for the JIT: on 2 cores its compiling
                // took 8 of a 10 s run's 27 CPU seconds, so untimed runs first, until both services' JITs settle
                Report warmup = new Report();
                Jit.Warmup warm = new Jit(target, Target.INGEST_SERVICE, Target.PROJECTION_SERVICE)
                        .warm(E2E_WARMUP_MAX_RUNS, round -> {
                            e2e.run(warmup, "e2e_warmup", rate, e2eSeconds);
                            return true;
                        });
                out.printf(
                        Locale.ROOT,
                        "  warm-up: %d runs; cores compiling per run: %s%n",
                        warm.compiling().size(),
                        warm.compiling());
                report.put("e2e_warmup_runs", warm.compiling().size());
                report.put("e2e_warmup_compiling_cores", warm.compiling());
                report.put("e2e_warmup_p99_ms", warmup.number("e2e_warmup_p99_ms"));
                e2e.run(report, "e2e", rate, e2eSeconds);
                // When the projection fell behind (more than a second of webhooks waiting), the figure above is its
                // backlog; a quarter of the rate shows the pipeline's own latency while it keeps up.
                Double lag = report.number("e2e_max_projection_lag");
                if (lag != null && lag > rate) {
                    e2e.run(report, "e2e_low_rate", Math.max(50, rate / 4), e2eSeconds);
                }
            }
            if (runs(options, "send")) {
                new SendBench(target, runTag, out).run(report, sendEmails);
            }
            if (!target.attached()) {
                out.println("stopping the stack ...");
            }
        }
        report.put("duration_s", Stats.round((System.nanoTime() - t0) / 1e9, 1));
        String json = Report.json(report.toMap(Report.BENCH_GOALS));
        Path written = Report.writeRun(repo.resolve("bench").resolve("results"), started, json);
        out.println();
        out.print(report.table());
        out.println();
        out.println("results: " + repo.relativize(written) + " (and bench/results/latest.json)");
        return 0;
    }

    static int drill(Options options, PrintStream out) throws Exception {
        for (String name : options.only()) {
            if (!Drills.ALL.contains(name)) {
                throw new IllegalArgumentException(
                        "unknown drill " + name + " (drills: " + String.join(", ", Drills.ALL) + ")");
            }
        }
        if (options.attach()) {
            throw new IllegalArgumentException(
                    "drills stop and start parts of the stack: they run only on a stack of their own");
        }
        Path repo = repoRoot();
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("started_at", started.toString());
        report.put("commit", Machine.commit(repo));
        report.put("machine", Machine.describe());
        List<Drill.Result> results;
        try (Target target = Target.start(repo, "drill", LostWebhooksDrill.STACK_SETTINGS, out);
                Kafka kafka = new Kafka(target.config().kafkaBootstrapServers())) {
            Webhooks webhooks = new Webhooks(target.config().webhookSecret(), runTag());
            results = new Drills(new DrillContext(target, kafka, webhooks, out)).run(options.only());
            out.println("stopping the stack ...");
        }
        boolean ok = results.stream().allMatch(Drill.Result::ok);
        report.put("ok", ok);
        report.put("duration_s", Stats.round((System.nanoTime() - t0) / 1e9, 1));
        report.put("drills", results.stream().map(Drill.Result::toMap).toList());
        Path file = repo.resolve("bench").resolve("results").resolve("drills.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, Report.json(report));
        out.println();
        out.printf(
                Locale.ROOT,
                "%-18s %4s %8s %12s %10s %5s %15s%n",
                "drill",
                "ok",
                "sent",
                "acknowledged",
                "projected",
                "lost",
                "double_applied");
        for (Drill.Result r : results) {
            out.printf(
                    Locale.ROOT,
                    "%-18s %4s %8d %12d %10d %5d %15d%n",
                    r.name(),
                    r.ok() ? "yes" : "NO",
                    r.sent(),
                    r.acknowledged(),
                    r.projected(),
                    r.lost(),
                    r.doubleApplied());
        }
        out.println();
        out.println("results: " + repo.relativize(file));
        return ok ? 0 : 1;
    }

    /**
     * Half the ingest capacity measured with the projection consuming: half of the paused figure kept every core of a
     * 2-core machine busy, which measured the box rather than the pipeline. Without a projection-running figure
     * (--no-pause: the ingest figure is that already) the ingest figure; without the ingest phase the fallback.
     */
    static double e2eRate(Report report, double withoutIngest) {
        Double running = report.number("ingest_per_s_projection_running");
        Double ingest = running != null ? running : report.number("ingest_per_s");
        return ingest == null ? withoutIngest : Math.max(50, ingest * 0.5);
    }

    private static boolean runs(Options options, String phase) {
        return options.only().isEmpty() || options.only().contains(phase);
    }

    /** Unique per run, so activities and svix-ids never collide with an earlier run's on an attached stack. */
    static String runTag() {
        return "b" + Long.toString(Instant.now().getEpochSecond(), 36)
                + Integer.toString(new SecureRandom().nextInt(36 * 36), 36);
    }

    private static int setting(String name, int fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 1) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a positive number, was '" + value + "'");
        }
    }

    /** ./mailtrail runs us from the repository root. */
    private static Path repoRoot() throws IOException {
        Path cwd = Path.of("").toAbsolutePath();
        if (!Files.isRegularFile(cwd.resolve("local-stack").resolve("pom.xml"))) {
            throw new IllegalArgumentException("run from the repository root (./mailtrail bench), not " + cwd);
        }
        return cwd;
    }
}
