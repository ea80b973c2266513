package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyTests {

    @Test
    void percentilesAreReportedInMilliseconds() {
        Latency latency = new Latency();
        for (int ms = 1; ms <= 100; ms++) {
            latency.recordNanos(ms * 1_000_000L);
        }
        Latency.Summary s = latency.summary();
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.p50()).isCloseTo(50, within(0.1));
        assertThat(s.p99()).isCloseTo(99, within(0.1));
        assertThat(s.max()).isCloseTo(100, within(0.1));
        assertThat(s.toMap()).containsKeys("p50_ms", "p99_ms", "max_ms");
    }

    @Test
    void laterSummariesIncludeEarlierSamples() {
        Latency latency = new Latency();
        latency.recordNanos(2_000_000);
        latency.summary();
        latency.recordNanos(4_000_000);
        assertThat(latency.summary().count()).isEqualTo(2);
    }

    @Test
    void noSamplesNoFigures() {
        assertThat(new Latency().summary()).isEqualTo(new Latency.Summary(0, 0, 0, 0, 0, 0, 0));
    }
}
