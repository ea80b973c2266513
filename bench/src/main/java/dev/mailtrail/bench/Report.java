package dev.mailtrail.bench;

import dev.mailtrail.events.WireJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoublePredicate;

/**
 * What a run measured: a flat map of figures (the keys of bench/results/*.json), the goals they are held
 * against, and the table printed at the end.
 */
final class Report {

    /** A goal from the issue; {@code met} is null while its figure is missing. */
    record Goal(String key, String text, DoublePredicate test) {}

    static final List<Goal> BENCH_GOALS = List.of(
            // issue 27: CPU per webhook against the no-op's, which do not depend on who else shares the cores,
            // replace "ingest_ratio >= 0.7" (the figure stays)
            new Goal("ingest_cpu_ratio", "<= 1.8", v -> v <= 1.8),
            new Goal("cold_ratio", ">= 0.8", v -> v >= 0.8),
            new Goal("ingest_per_s", ">= 4000/s", v -> v >= 4000),
            new Goal("ingest_p99_ms", "<= 30 ms", v -> v <= 30),
            new Goal("projection_events_per_s", ">= 10000/s", v -> v >= 10_000),
            new Goal("flood_cost_ratio", "<= 1.5", v -> v <= 1.5),
            new Goal("e2e_p99_ms", "<= 1000 ms", v -> v <= 1000));

    private static final DateTimeFormatter FILE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

    private final Map<String, Object> figures = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    Report put(String key, Object value) {
        figures.put(key, value);
        return this;
    }

    Object get(String key) {
        return figures.get(key);
    }

    Double number(String key) {
        return figures.get(key) instanceof Number n ? n.doubleValue() : null;
    }

    void note(String note) {
        notes.add(note);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /** The figures, then each goal with its verdict, then the notes. */
    Map<String, Object> toMap(List<Goal> goals) {
        Map<String, Object> map = new LinkedHashMap<>(figures);
        Map<String, Object> verdicts = new LinkedHashMap<>();
        for (Goal goal : goals) {
            Double value = number(goal.key());
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("goal", goal.text());
            verdict.put("value", value);
            verdict.put("met", value == null ? null : goal.test().test(value));
            verdicts.put(goal.key(), verdict);
        }
        map.put("goals", verdicts);
        map.put("notes", notes());
        return map;
    }

    static String json(Map<String, Object> map) {
        return WireJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(map) + "\n";
    }

    /** bench/results/&lt;timestamp&gt;.json, copied to latest.json; older runs stay beside it. */
    static Path writeRun(Path resultsDir, Instant startedAt, String json) throws IOException {
        Files.createDirectories(resultsDir);
        Path run = resultsDir.resolve(fileName(startedAt));
        Files.writeString(run, json);
        Files.copy(run, resultsDir.resolve("latest.json"), StandardCopyOption.REPLACE_EXISTING);
        return run;
    }

    static String fileName(Instant startedAt) {
        return FILE_TIME.format(startedAt) + ".json";
    }

    /** The end-of-run table: each figure, its same-run baseline, the ratio, the goal and whether it is met. */
    String table() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"figure", "value", "baseline", "ratio", "goal", "met"});
        rows.add(row(
                "ingest accepted webhooks/s",
                fmt("ingest_per_s", 0),
                fmt("ingest_noop_per_s", 0),
                fmt("ingest_ratio", 3),
                ">= 4000/s",
                met("ingest_per_s")));
        rows.add(row(
                "ingest CPU us per request",
                fmt("ingest_cpu_us_per_webhook", 1),
                fmt("noop_cpu_us_per_request", 1),
                fmt("ingest_cpu_ratio", 3),
                "ratio <= 1.8",
                met("ingest_cpu_ratio")));
        rows.add(row(
                "ingest accepted/s, first 30 s cold",
                fmt("cold_first_30s_per_s", 0),
                fmt("ingest_per_s", 0),
                fmt("cold_ratio", 3),
                "ratio >= 0.8",
                met("cold_ratio")));
        rows.add(row(
                "ingest p50 / p99 ms",
                pair("ingest_p50_ms", "ingest_p99_ms"),
                pair("ingest_noop_p50_ms", "ingest_noop_p99_ms"),
                "",
                "p99 <= 30 ms",
                met("ingest_p99_ms")));
        if (figures.containsKey("ingest_per_s_projection_running")) {
            rows.add(row("  same, projection running", fmt("ingest_per_s_projection_running", 0), "", "", "", ""));
        }
        rows.add(row(
                "projection events/s",
                fmt("projection_events_per_s", 0),
                fmt("projection_baseline_per_s", 0),
                fmt("projection_ratio", 3),
                ">= 10000/s",
                met("projection_events_per_s")));
        rows.add(row(
                "flood CPU us/hit, first / last 500",
                pair("flood_first_us_per_hit", "flood_last_us_per_hit"),
                "",
                fmt("flood_cost_ratio", 2),
                "ratio <= 1.5",
                met("flood_cost_ratio")));
        rows.add(row(
                "end-to-end p50 / p99 ms",
                pair("e2e_p50_ms", "e2e_p99_ms"),
                "",
                "",
                "p99 <= 1000 ms",
                met("e2e_p99_ms")));
        if (figures.containsKey("e2e_low_rate_p99_ms")) {
            rows.add(row(
                    "  same at " + fmt("e2e_low_rate_offered_per_s", 0) + "/s",
                    pair("e2e_low_rate_p50_ms", "e2e_low_rate_p99_ms"),
                    "",
                    "",
                    "",
                    ""));
        }
        rows.add(row("send emails/s, limit 2 req/s", fmt("send_per_s_limited", 2), "", "", "", ""));
        rows.add(row("send emails/s, no limit", fmt("send_per_s", 1), "", "", "", ""));
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String cell = i == 0 || i >= 4 ? pad(r[i], widths[i]) : padLeft(r[i], widths[i]);
                line.append(cell).append(i == r.length - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        for (String note : notes) {
            out.append("note: ").append(note).append('\n');
        }
        return out.toString();
    }

    private String met(String... keys) {
        boolean any = false;
        for (String key : keys) {
            Double value = number(key);
            Goal goal = BENCH_GOALS.stream()
                    .filter(g -> g.key().equals(key))
                    .findFirst()
                    .orElseThrow();
            if (value == null) {
                continue;
            }
            any = true;
            if (!goal.test().test(value)) {
                return "no";
            }
        }
        return any ? "yes" : "-";
    }

    private String fmt(String key, int digits) {
        Double value = number(key);
        if (value == null) {
            return figures.containsKey(key) ? "n/a" : "-";
        }
        return digits == 0
                ? String.format(Locale.ROOT, "%,.0f", value)
                : String.format(Locale.ROOT, "%,." + digits + "f", value);
    }

    private String pair(String a, String b) {
        if (number(a) == null && number(b) == null) {
            return figures.containsKey(a) ? "n/a" : "-";
        }
        return fmt(a, 1) + " / " + fmt(b, 1);
    }

    private static String[] row(String... cells) {
        return cells;
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }
}
