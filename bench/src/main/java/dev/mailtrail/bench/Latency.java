package dev.mailtrail.bench;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Latencies recorded from any thread (HdrHistogram, microsecond resolution), summarised in milliseconds. */
final class Latency {

    private final Recorder recorder = new Recorder(3);
    private final Histogram total = new Histogram(3);

    void recordNanos(long nanos) {
        recorder.recordValue(Math.max(1, nanos / 1_000));
    }

    /** Everything recorded so far. */
    synchronized Summary summary() {
        total.add(recorder.getIntervalHistogram());
        return Summary.of(total);
    }

    /** Percentiles in milliseconds; all zero without samples. */
    record Summary(long count, double p50, double p90, double p99, double p999, double max, double mean) {

        static Summary of(Histogram micros) {
            if (micros.getTotalCount() == 0) {
                return new Summary(0, 0, 0, 0, 0, 0, 0);
            }
            return new Summary(
                    micros.getTotalCount(),
                    ms(micros.getValueAtPercentile(50)),
                    ms(micros.getValueAtPercentile(90)),
                    ms(micros.getValueAtPercentile(99)),
                    ms(micros.getValueAtPercentile(99.9)),
                    ms(micros.getMaxValue()),
                    ms(micros.getMean()));
        }

        private static double ms(double micros) {
            return Stats.round(micros / 1000.0, 2);
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("count", count);
            map.put("p50_ms", p50);
            map.put("p90_ms", p90);
            map.put("p99_ms", p99);
            map.put("p999_ms", p999);
            map.put("max_ms", max);
            map.put("mean_ms", mean);
            return map;
        }
    }
}
