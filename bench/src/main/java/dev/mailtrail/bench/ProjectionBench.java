package dev.mailtrail.bench;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Events applied per second: M events (many activities, 10% duplicates, shuffled) preloaded on crm.email.events,
 * timed until the projection's consumer group has no lag. Baseline: as many rows inserted into a copy of
 * activity_event by plain multi-row INSERTs of the projection's poll-batch size over one JDBC connection.
 */
final class ProjectionBench {

    static final int WARMUP_EVENTS = 20_000;
    static final int WARMUP_MAX_ROUNDS = 16;

    /** The projection's max-poll-records: the baseline inserts batches of this size. */
    static final int POLL_BATCH = 500;

    static final double DUPLICATE_SHARE = 0.1;

    private final Target target;
    private final Kafka kafka;
    private final String runTag;
    private final PrintStream out;

    ProjectionBench(Target target, Kafka kafka, String runTag, PrintStream out) {
        this.target = target;
        this.kafka = kafka;
        this.runTag = runTag;
        this.out = out;
    }

    void run(Report report, int events) throws InterruptedException {
        out.println("projection: waiting until the consumer has caught up with the earlier phases ...");
        long d0 = System.nanoTime();
        if (kafka.awaitNoLag(Duration.ofMinutes(2), Duration.ofMillis(200), null) < 0) {
            report.note("projection: the consumer did not catch up with earlier phases within 2 min; lag "
                    + kafka.projectionLag() + "; projection not measured");
            return;
        }
        report.put("projection_catch_up_before_s", Stats.round((System.nanoTime() - d0) / 1e9, 1));
        out.printf(Locale.ROOT, "  caught up in %.1f s%n", (System.nanoTime() - d0) / 1e9);

        // a fresh JVM spends its first tens of thousands of events compiling (C2 took half the service's CPU)
        int warmupEvents = Math.min(WARMUP_EVENTS, events);
        out.printf(
                Locale.ROOT,
                "projection: warming up, rounds of %,d events until the send-service's JIT settles (not timed) ...%n",
                warmupEvents);
        long w0 = System.nanoTime();
        Jit.Warmup warmup = new Jit(target, Target.PROJECTION_SERVICE).warm(WARMUP_MAX_ROUNDS, round -> {
            kafka.produce(Load.of(runTag + "-pw" + round + "-", warmupEvents, 7 + round)
                    .all());
            return kafka.awaitNoLag(Duration.ofMinutes(2), Duration.ofMillis(100), null) >= 0;
        });
        if (!warmup.completed()) {
            report.note("projection: a warm-up round did not finish within 2 min; projection not measured");
            return;
        }
        out.printf(
                Locale.ROOT,
                "  warm-up took %.0f s; cores compiling per round: %s%n",
                (System.nanoTime() - w0) / 1e9,
                warmup.compiling());
        report.put("projection_warmup_events", warmupEvents * warmup.compiling().size());
        report.put("projection_warmup_s", Stats.round((System.nanoTime() - w0) / 1e9, 1));
        report.put("projection_warmup_compiling_cores", warmup.compiling());

        String prefix = runTag + "-p-";
        Load load = Load.of(prefix, events, 42);
        int activities = load.activities();
        List<EmailEvent> distinct = load.distinct();
        List<EmailEvent> all = load.all();

        Cpu cpu = new Cpu(target);
        boolean paused = target.pause(Target.PROJECTION_SERVICE);
        long p0 = System.nanoTime();
        long t0;
        long produced;
        Cpu.Sample cpuBefore = null;
        try {
            out.printf(
                    Locale.ROOT,
                    "projection: preloading %,d events (%,d distinct, %,d activities)%s ...%n",
                    all.size(),
                    distinct.size(),
                    activities,
                    paused ? " with the consumer paused" : "");
            produced = kafka.produce(all);
        } finally {
            t0 = System.nanoTime();
            cpuBefore = cpu.sample();
            if (paused) {
                target.resume(Target.PROJECTION_SERVICE);
            }
        }
        if (!paused) {
            t0 = p0; // consuming while we produce: the clock starts with the first event
            report.note(
                    "projection: send-service pid unknown, so not paused during the preload: timed from the first event produced");
        }
        long t1 = kafka.awaitNoLag(Duration.ofMinutes(3), Duration.ofMillis(50), null);
        if (t1 < 0) {
            report.note("projection: lag not zero within 3 min (lag " + kafka.projectionLag() + ")");
            return;
        }
        Map<String, Double> cores = Cpu.cores(cpuBefore, cpu.sample());
        double perSecond = Stats.perSecond(all.size(), t1 - t0);
        out.printf(
                Locale.ROOT,
                "  projection                   %,d events in %.2f s: %,.0f events/s  cores %s%n",
                all.size(),
                (t1 - t0) / 1e9,
                perSecond,
                cores);
        report.put("projection_events", all.size());
        report.put("projection_distinct_events", distinct.size());
        report.put("projection_activities", activities);
        report.put("projection_preload_s", Stats.round((t0 - p0) / 1e9, 2));
        report.put("projection_acknowledged", produced);
        report.put("projection_events_per_s", Stats.round(perSecond, 1));
        report.put("projection_cpu_cores", cores);
        try (Connection c = target.jdbc()) {
            long applied = count(
                    c,
                    "SELECT count(*) FROM activity_event WHERE activity_key LIKE ?",
                    Webhooks.TENANT + ":" + prefix + "%");
            report.put("projection_distinct_applied", applied);
            if (applied != distinct.size()) {
                report.note(
                        "projection: " + applied + " distinct events in activity_event, expected " + distinct.size());
            }
            Double baseline = baseline(c, all);
            out.printf(Locale.ROOT, "  baseline INSERT              %,d rows: %,.0f rows/s%n", all.size(), baseline);
            report.put("projection_baseline_per_s", Stats.round(baseline, 1));
            report.put("projection_ratio", Stats.ratio(perSecond, baseline));
            report.put("projection_batch", POLL_BATCH);
        } catch (SQLException e) {
            report.note("projection: baseline failed: " + e.getMessage());
        }
    }

    /** About {@code events} events: whole lifecycles of as many activities as that takes, duplicated and shuffled. */
    record Load(int activities, List<EmailEvent> distinct, List<EmailEvent> all) {

        static Load of(String prefix, int events, long seed) {
            double perActivity =
                    Webhooks.LIFECYCLES.stream().mapToInt(List::size).average().orElse(1);
            int activities = (int) Math.max(1, Math.round(events / (1 + DUPLICATE_SHARE) / perActivity));
            List<EmailEvent> distinct =
                    Events.distinct(prefix, activities, Instant.now().minusSeconds(7200));
            return new Load(activities, distinct, Events.withDuplicatesShuffled(distinct, DUPLICATE_SHARE, seed));
        }
    }

    /** Rows per second of multi-row INSERTs (ON CONFLICT DO NOTHING, one commit per batch) into bench_baseline. */
    static double baseline(Connection c, List<EmailEvent> events) throws SQLException {
        String[] payloads = events.stream()
                .map(e -> WireJson.mapper().writeValueAsString(e))
                .toArray(String[]::new);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_baseline");
            s.execute("CREATE TABLE bench_baseline (LIKE activity_event INCLUDING ALL)");
        }
        c.setAutoCommit(false);
        long t0 = System.nanoTime();
        try (PreparedStatement full = c.prepareStatement(insert(POLL_BATCH))) {
            for (int from = 0; from < events.size(); from += POLL_BATCH) {
                int to = Math.min(events.size(), from + POLL_BATCH);
                if (to - from == POLL_BATCH) {
                    bind(full, events, payloads, from, to).executeUpdate();
                } else {
                    try (PreparedStatement last = c.prepareStatement(insert(to - from))) {
                        bind(last, events, payloads, from, to).executeUpdate();
                    }
                }
                c.commit();
            }
        }
        long elapsed = System.nanoTime() - t0;
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE bench_baseline");
        }
        return Stats.perSecond(events.size(), elapsed);
    }

    private static String insert(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO bench_baseline "
                + "(event_id, activity_key, type, occurred_at, source, classification, payload) VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?::jsonb)");
        }
        return sql.append(" ON CONFLICT DO NOTHING").toString(); // whatever the table's key
    }

    private static PreparedStatement bind(
            PreparedStatement ps, List<EmailEvent> events, String[] payloads, int from, int to) throws SQLException {
        int k = 1;
        for (int i = from; i < to; i++) {
            EmailEvent e = events.get(i);
            ps.setString(k++, e.eventId());
            ps.setString(k++, e.partitionKey());
            ps.setString(k++, e.type().wire());
            ps.setObject(k++, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
            ps.setString(k++, e.source().wire());
            ps.setString(k++, e.classification().wire());
            ps.setString(k++, payloads[i]);
        }
        return ps;
    }

    static long count(Connection c, String sql, String parameter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
