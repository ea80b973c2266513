package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatsTests {

    @Test
    void theMedianOfAlternatingRunsIgnoresMissingOnes() {
        assertThat(Stats.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(Stats.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(Stats.median(Arrays.asList(5.0, null, 1.0))).isEqualTo(3.0);
        assertThat(Stats.median(List.of())).isNull();
    }

    @Test
    void aRatioNeedsBothFiguresAndAPositiveBaseline() {
        assertThat(Stats.ratio(1800.0, 2400.0)).isEqualTo(0.75);
        assertThat(Stats.ratio(1.0, 3.0)).isEqualTo(0.333);
        assertThat(Stats.ratio(null, 2400.0)).isNull();
        assertThat(Stats.ratio(1800.0, null)).isNull();
        assertThat(Stats.ratio(1800.0, 0.0)).isNull();
    }

    @Test
    void ratesAndRounding() {
        assertThat(Stats.perSecond(5_000, 2_000_000_000L)).isEqualTo(2_500.0);
        assertThat(Stats.perSecond(5, 0)).isZero();
        assertThat(Stats.round(12.3456, 2)).isEqualTo(12.35);
        assertThat(Stats.round(Double.NaN, 2)).isNull();
    }
}
