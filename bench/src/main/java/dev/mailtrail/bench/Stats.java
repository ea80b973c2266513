package dev.mailtrail.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** The arithmetic behind every reported figure: medians of alternating runs, ratios against a baseline, rounding. */
final class Stats {

    private Stats() {}

    /** The median of the values that are present; null when there are none. */
    static Double median(List<Double> values) {
        List<Double> present =
                new ArrayList<>(values.stream().filter(Objects::nonNull).toList());
        if (present.isEmpty()) {
            return null;
        }
        Collections.sort(present);
        int n = present.size();
        return n % 2 == 1 ? present.get(n / 2) : (present.get(n / 2 - 1) + present.get(n / 2)) / 2;
    }

    /** value / baseline to three decimals; null when either is missing or the baseline is not positive. */
    static Double ratio(Double value, Double baseline) {
        if (value == null || baseline == null || baseline <= 0) {
            return null;
        }
        return round(value / baseline, 3);
    }

    static double perSecond(long count, long nanos) {
        return nanos <= 0 ? 0 : count * 1e9 / nanos;
    }

    static Double round(Double value, int digits) {
        if (value == null || value.isNaN() || value.isInfinite()) {
            return null;
        }
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
