package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.WireJson;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ReportTests {

    private static Report sample() {
        Report report = new Report();
        report.put("ingest_per_s", 4_200.0)
                .put("ingest_noop_per_s", 5_600.0)
                .put("ingest_ratio", 0.75)
                .put("ingest_cpu_us_per_webhook", 150.0)
                .put("noop_cpu_us_per_request", 60.0)
                .put("ingest_cpu_ratio", 2.5)
                .put("cold_first_30s_per_s", 3_780.0)
                .put("cold_ratio", 0.9)
                .put("ingest_p50_ms", 3.1)
                .put("ingest_p99_ms", 41.0)
                .put("projection_events_per_s", 12_000.0)
                .put("projection_baseline_per_s", 40_000.0)
                .put("projection_ratio", 0.3)
                .put("e2e_p50_ms", 120.0)
                .put("e2e_p99_ms", 480.0)
                .put("flood_first_us_per_hit", 410.0)
                .put("flood_last_us_per_hit", 880.0)
                .put("flood_cost_ratio", 2.15)
                .put("send_per_s_limited", null)
                .put("send_rate_limit", 2);
        report.note("send path not available (POST /api/crm/emails answered 404)");
        return report;
    }

    @Test
    void eachGoalIsJudgedAndAMissingFigureIsNeitherMetNorMissed() {
        Map<String, Map<String, Object>> goals = castGoals(sample().toMap(Report.BENCH_GOALS));
        assertThat(goals).doesNotContainKey("ingest_ratio");
        assertThat(goals.get("ingest_cpu_ratio")).containsEntry("met", false).containsEntry("goal", "<= 1.8");
        assertThat(goals.get("cold_ratio")).containsEntry("met", true).containsEntry("goal", ">= 0.8");
        assertThat(goals.get("ingest_per_s")).containsEntry("met", true);
        assertThat(goals.get("ingest_p99_ms")).containsEntry("met", false);
        assertThat(goals.get("projection_events_per_s")).containsEntry("met", true);
        assertThat(goals.get("e2e_p99_ms")).containsEntry("met", true);
        assertThat(goals.get("flood_cost_ratio")).containsEntry("met", false).containsEntry("goal", "<= 1.5");

        Map<String, Map<String, Object>> none = castGoals(new Report().toMap(Report.BENCH_GOALS));
        assertThat(none.get("ingest_cpu_ratio")).containsEntry("met", null).containsEntry("value", null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> castGoals(Map<String, Object> map) {
        return (Map<String, Map<String, Object>>) map.get("goals");
    }

    @Test
    void theJsonKeepsNullsSoAMissingSendPathIsExplicit() {
        JsonNode json = WireJson.mapper().readTree(Report.json(sample().toMap(Report.BENCH_GOALS)));
        assertThat(json.has("send_per_s_limited")).isTrue();
        assertThat(json.get("send_per_s_limited").isNull()).isTrue();
        assertThat(json.get("ingest_ratio").asDouble()).isEqualTo(0.75);
        assertThat(json.get("notes").get(0).asString()).contains("send path not available");
    }

    @Test
    void theTableShowsValueBaselineRatioGoalAndVerdict() {
        String table = sample().table();
        assertThat(table).contains("figure").contains("baseline").contains("ratio");
        assertThat(table.lines()
                        .filter(l -> l.startsWith("ingest accepted webhooks/s"))
                        .findFirst()
                        .orElseThrow())
                .contains("4,200")
                .contains("5,600")
                .contains("0.750")
                .endsWith("yes");
        assertThat(table.lines()
                        .filter(l -> l.startsWith("ingest p50 / p99 ms"))
                        .findFirst()
                        .orElseThrow())
                .contains("3.1 / 41.0")
                .endsWith("no");
        assertThat(table.lines()
                        .filter(l -> l.startsWith("ingest CPU us per request"))
                        .findFirst()
                        .orElseThrow())
                .contains("150.0")
                .contains("60.0")
                .contains("2.500")
                .endsWith("no");
        assertThat(table.lines()
                        .filter(l -> l.startsWith("ingest accepted/s, first 30 s cold"))
                        .findFirst()
                        .orElseThrow())
                .contains("3,780")
                .contains("4,200")
                .contains("0.900")
                .endsWith("yes");
        assertThat(table.lines()
                        .filter(l -> l.startsWith("flood CPU us/hit, first / last 500"))
                        .findFirst()
                        .orElseThrow())
                .contains("410.0 / 880.0")
                .contains("2.15")
                .endsWith("no");
        assertThat(table.lines()
                        .filter(l -> l.startsWith("send emails/s, limit 2 req/s"))
                        .findFirst()
                        .orElseThrow())
                .contains("n/a");
        assertThat(table).contains("note: send path not available");
    }

    @Test
    void runFilesAreNamedByTheirStartWithoutColons() {
        assertThat(Report.fileName(Instant.parse("2026-11-26T17:42:18.345Z"))).isEqualTo("2026-11-26T17-42-18Z.json");
    }
}
