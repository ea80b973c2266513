package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.bench.HttpLoad.Run;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The arithmetic of issue 27's figures: CPU per request, the cold window and the end-to-end rate. */
class IngestFiguresTests {

    private static Run run(long accepted, long rejected, double seconds) {
        return new Run(
                (int) (accepted + rejected),
                (long) (seconds * 1e9),
                new Latency.Summary(accepted, 1, 1, 1, 1, 1, 1),
                rejected == 0 ? Map.of("202", accepted) : Map.of("202", accepted, "503", rejected));
    }

    @Test
    void cpuPerRequestIsTheProcessesCpuTimeOverTheRequestsItServed() {
        // 0.75 s of CPU over 5,000 requests
        assertThat(Cpu.microsPerRequest(750_000_000L, 5_000)).isEqualTo(150.0);
        assertThat(Cpu.microsPerRequest(1_000L, 3)).isEqualTo(0.3);
        assertThat(Cpu.microsPerRequest(null, 5_000)).isNull();
        assertThat(Cpu.microsPerRequest(750_000_000L, 0)).isNull();
    }

    @Test
    void theColdWindowCountsOnlyAcceptedRequestsAndOnlyTheTimeUnderLoad() {
        ColdStart cold = new ColdStart(30, 10);
        cold.add(run(2_000, 0, 10)); // 200/s while the JIT compiles
        assertThat(cold.done()).isFalse();
        cold.add(run(8_000, 1_000, 10)); // the 503s are not accepted
        assertThat(cold.done()).isFalse();
        cold.add(run(12_000, 0, 10));
        assertThat(cold.done()).isTrue();
        assertThat(cold.perSecond()).isEqualTo(22_000 / 30.0);
        assertThat(cold.perSecondBySlice()).containsExactly(200.0, 800.0, 1_200.0);
        assertThat(Stats.ratio(cold.perSecond(), 1_000.0)).isEqualTo(0.733);
    }

    @Test
    void shortRunsFallIntoTheSliceTheyStartedIn() {
        ColdStart cold = new ColdStart(3, 1);
        cold.add(run(100, 0, 0.6));
        cold.add(run(300, 0, 0.6)); // starts at 0.6 s: first slice
        cold.add(run(500, 0, 0.5)); // starts at 1.2 s: second slice
        cold.add(run(700, 0, 1.5)); // starts at 1.7 s: second slice; covers the window
        assertThat(cold.done()).isTrue();
        assertThat(cold.perSecondBySlice()).containsExactly(333.3, 600.0); // rounded to a tenth
    }

    @Test
    void endToEndRunsAtHalfTheCapacityMeasuredWithTheProjectionConsuming() {
        Report both = new Report().put("ingest_per_s", 4_000.0).put("ingest_per_s_projection_running", 2_600.0);
        assertThat(Bench.e2eRate(both, 500)).isEqualTo(1_300.0);
        // --no-pause: the ingest figure was measured with the projection consuming already
        assertThat(Bench.e2eRate(new Report().put("ingest_per_s", 3_000.0), 500))
                .isEqualTo(1_500.0);
        assertThat(Bench.e2eRate(new Report(), 500)).isEqualTo(500.0);
        assertThat(Bench.e2eRate(new Report().put("ingest_per_s_projection_running", 60.0), 500))
                .isEqualTo(50.0);
    }
}
