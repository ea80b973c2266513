package dev.mailtrail.bench;

import dev.mailtrail.events.EmailEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * A flood on one activity (issue 18): {@value #HITS} distinct opens and clicks of one email through
 * crm.email.events at {@value #RATE}/s, as a bot on one token brings them, the consumer keeping up in small batches.
 * The send-service's and PostgreSQL's CPU per hit over the first {@value #MEASURED} against the last: a per-hit cost
 * that does not grow with the activity's earlier hits gives {@code flood_cost_ratio} near 1 (the projection used to
 * re-read all of them for every batch). Also what the activity stores and its first timeline page's size.
 */
final class FloodBench {

    static final int HITS = 5_000;
    static final int MEASURED = 500;
    static final int RATE = 200;
    static final int WARMUP_HITS = 1_000;
    static final int WARMUP_MAX_ROUNDS = 12;

    private final Target target;
    private final Kafka kafka;
    private final String runTag;
    private final PrintStream out;

    FloodBench(Target target, Kafka kafka, String runTag, PrintStream out) {
        this.target = target;
        this.kafka = kafka;
        this.runTag = runTag;
        this.out = out;
    }

    void run(Report report) throws InterruptedException {
        out.println("flood: waiting until the consumer has caught up with the earlier phases ...");
        if (kafka.awaitNoLag(Duration.ofMinutes(2), Duration.ofMillis(200), null) < 0) {
            report.note("flood: the consumer did not catch up with earlier phases within 2 min; flood not measured");
            return;
        }
        // the same kind of trickle on other activities first, until the send-service's JIT has compiled it
        out.printf(
                Locale.ROOT,
                "flood: warming up, floods of %,d hits at %d/s until the JIT settles (not timed) ...%n",
                WARMUP_HITS,
                RATE);
        Jit.Warmup warmup = new Jit(target, Target.PROJECTION_SERVICE).warm(WARMUP_MAX_ROUNDS, round -> {
            kafka.produce(Events.flood(runTag + "-fw" + round, WARMUP_HITS, Instant.now()), RATE);
            return kafka.awaitNoLag(Duration.ofMinutes(2), Duration.ofMillis(100), null) >= 0;
        });
        if (!warmup.completed()) {
            report.note("flood: a warm-up round did not finish within 2 min; flood not measured");
            return;
        }
        report.put("flood_warmup_compiling_cores", warmup.compiling());

        String activityId = runTag + "-flood";
        List<EmailEvent> flood = Events.flood(activityId, HITS, Instant.now().minusSeconds(HITS / 10));
        kafka.produce(flood.subList(0, 1));
        Cpu cpu = new Cpu(target);
        out.printf(Locale.ROOT, "flood: %,d hits on one activity at %d/s ...%n", HITS, RATE);
        long[] first = measured(cpu, flood.subList(1, 1 + MEASURED));
        if (first != null) {
            kafka.produce(flood.subList(1 + MEASURED, 1 + HITS - MEASURED), RATE);
        }
        if (first == null || kafka.awaitNoLag(Duration.ofMinutes(3), Duration.ofMillis(100), null) < 0) {
            report.note("flood: the projection did not keep up (lag " + kafka.projectionLag() + "); not measured");
            return;
        }
        long[] last = measured(cpu, flood.subList(1 + HITS - MEASURED, 1 + HITS));
        if (last == null) {
            report.note("flood: the last hits were not applied within 3 min; not measured");
            return;
        }
        double firstUs = (first[0] + first[1]) / 1e3 / MEASURED;
        double lastUs = (last[0] + last[1]) / 1e3 / MEASURED;
        out.printf(
                Locale.ROOT,
                "  CPU per hit (send-service + PostgreSQL), first %d: %.0f + %.0f us, last %d: " + "%.0f + %.0f us%n",
                MEASURED,
                first[0] / 1e3 / MEASURED,
                first[1] / 1e3 / MEASURED,
                MEASURED,
                last[0] / 1e3 / MEASURED,
                last[1] / 1e3 / MEASURED);
        report.put("flood_hits", HITS);
        report.put("flood_rate_per_s", RATE);
        report.put("flood_first_send_us_per_hit", Stats.round(first[0] / 1e3 / MEASURED, 1));
        report.put("flood_first_postgres_us_per_hit", Stats.round(first[1] / 1e3 / MEASURED, 1));
        report.put("flood_last_send_us_per_hit", Stats.round(last[0] / 1e3 / MEASURED, 1));
        report.put("flood_last_postgres_us_per_hit", Stats.round(last[1] / 1e3 / MEASURED, 1));
        report.put("flood_first_us_per_hit", Stats.round(firstUs, 1));
        report.put("flood_last_us_per_hit", Stats.round(lastUs, 1));
        report.put("flood_cost_ratio", Stats.ratio(lastUs, firstUs));
        stored(report, activityId);
    }

    /**
     * Publishes the hits at the flood's pace and waits until they are applied: the send-service's and
     * PostgreSQL's CPU nanoseconds meanwhile, or null when the projection did not catch up.
     */
    private long[] measured(Cpu cpu, List<EmailEvent> hits) throws InterruptedException {
        Cpu.Sample before = cpu.sample();
        kafka.produce(hits, RATE);
        if (kafka.awaitNoLag(Duration.ofMinutes(3), Duration.ofMillis(20), null) < 0) {
            return null;
        }
        Cpu.Sample after = cpu.sample();
        Long send = Cpu.used(before, after, "send");
        Long postgres = Cpu.used(before, after, "postgres");
        return new long[] {send == null ? 0 : send, postgres == null ? 0 : postgres};
    }

    /** What the flooded activity keeps: its rows, those with a payload, and the size of its first timeline page. */
    private void stored(Report report, String activityId) throws InterruptedException {
        try (Connection c = target.jdbc()) {
            report.put(
                    "flood_stored_events",
                    ProjectionBench.count(
                            c,
                            "SELECT count(*) FROM activity_event WHERE activity_key = ?",
                            Webhooks.TENANT + ":" + activityId));
            report.put(
                    "flood_stored_payloads",
                    ProjectionBench.count(
                            c,
                            "SELECT count(*) FROM activity_event WHERE activity_key = ? AND payload IS NOT NULL",
                            Webhooks.TENANT + ":" + activityId));
            report.put(
                    "flood_counted_hits",
                    ProjectionBench.count(
                            c,
                            "SELECT open_count + machine_open_count"
                                    + " + click_count + machine_click_count FROM activity_state WHERE activity_id = ?",
                            activityId));
        } catch (SQLException e) {
            report.note("flood: storage not read: " + e.getMessage());
        }
        try {
            HttpResponse<byte[]> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(target.config().sendUrl() + "/api/crm/activities/"
                                            + activityId + "/timeline"))
                                    .header(
                                            "Authorization",
                                            "Bearer " + target.config().apiToken())
                                    .timeout(Duration.ofSeconds(10))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
            report.put("flood_timeline_page_bytes", page.statusCode() == 200 ? page.body().length : null);
        } catch (IOException e) {
            report.note("flood: timeline not read: " + e.getMessage());
        }
    }
}
