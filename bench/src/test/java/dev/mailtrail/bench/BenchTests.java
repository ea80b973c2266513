package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTests {

    @Test
    void optionsAreParsed() {
        assertThat(Bench.options(List.of())).isEqualTo(new Bench.Options(false, true, List.of()));
        assertThat(Bench.options(List.of("--attach", "--no-pause", "--only", "ingest,e2e")))
                .isEqualTo(new Bench.Options(true, false, List.of("ingest", "e2e")));
        assertThatThrownBy(() -> Bench.options(List.of("--fast"))).hasMessageContaining("unknown option --fast");
        assertThatThrownBy(() -> Bench.options(List.of("--only"))).hasMessageContaining("--only");
    }

    @Test
    void warmUpEndsWhenTwoRoundsAgreeOrTimeIsUp() {
        double late = IngestBench.WARMUP_MIN_SECONDS + 1;
        assertThat(IngestBench.warmedUp(List.of(900.0, 1500.0, 1550.0, 1520.0), 10))
                .as("too early")
                .isFalse();
        assertThat(IngestBench.warmedUp(List.of(900.0, 1500.0, 1550.0, 1520.0), late))
                .isTrue();
        assertThat(IngestBench.warmedUp(List.of(900.0, 1400.0, 1500.0, 1600.0), late))
                .as("still climbing")
                .isFalse();
        assertThat(IngestBench.warmedUp(List.of(1500.0, 1550.0), late))
                .as("at least three rounds")
                .isFalse();
        assertThat(IngestBench.warmedUp(List.of(900.0, 1200.0, 1500.0), IngestBench.WARMUP_MAX_SECONDS))
                .isTrue();
    }

    @Test
    void endToEndPollingSlowsDownWithTheWaitWithinBounds() {
        assertThat(EndToEndBench.pollDelayMillis(0)).isEqualTo(20);
        assertThat(EndToEndBench.pollDelayMillis(1_000_000_000L)).isEqualTo(100);
        assertThat(EndToEndBench.pollDelayMillis(30_000_000_000L)).isEqualTo(1000);
    }

    @Test
    void runTagsAreShortIdentifiersThatDiffer() {
        String tag = Bench.runTag();
        assertThat(tag).matches("b[a-z0-9]+").hasSizeLessThan(16);
    }
}
