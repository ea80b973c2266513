package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Run;
import java.util.ArrayList;
import java.util.List;

/**
 * The first seconds of load on a freshly started ingest, run by run: accepted/s over the whole window and per
 * slice of it (how fast the JIT brings it to speed), to hold against the steady rate measured later.
 */
final class ColdStart {

    static final double WINDOW_SECONDS = 30;
    static final double SLICE_SECONDS = 10;

    private final double windowSeconds;
    private final double sliceSeconds;
    private final List<long[]> slices = new ArrayList<>(); // {accepted, elapsed nanos}
    private long accepted;
    private long elapsedNanos;

    ColdStart() {
        this(WINDOW_SECONDS, SLICE_SECONDS);
    }

    ColdStart(double windowSeconds, double sliceSeconds) {
        this.windowSeconds = windowSeconds;
        this.sliceSeconds = sliceSeconds;
    }

    /** Adds a run; each run counts in the slice it started in (runs are short against a slice). */
    void add(Run run) {
        int slice = (int) (elapsedNanos / (sliceSeconds * 1e9));
        while (slices.size() <= slice) {
            slices.add(new long[2]);
        }
        slices.get(slice)[0] += run.ok();
        slices.get(slice)[1] += run.elapsedNanos();
        accepted += run.ok();
        elapsedNanos += run.elapsedNanos();
    }

    /** Whether the load has covered the window (only the time under load counts, not the signing between runs). */
    boolean done() {
        return elapsedNanos >= windowSeconds * 1e9;
    }

    /** The time under load so far. */
    long elapsedNanos() {
        return elapsedNanos;
    }

    double perSecond() {
        return Stats.perSecond(accepted, elapsedNanos);
    }

    List<Double> perSecondBySlice() {
        return slices.stream()
                .map(s -> Stats.round(Stats.perSecond(s[0], s[1]), 1))
                .toList();
    }
}
