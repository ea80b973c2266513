package dev.mailtrail.bench;

import dev.mailtrail.localstack.Component;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Warm-ups that last until the services' JITs have settled. On 2 cores a fresh service's C2 compiler keeps a core
 * busy for tens of seconds of each new kind of load (the send-service compiled for 25 s of the projection phase and
 * again through the end-to-end runs), so a fixed-size warm-up measured the compiler as much as the service. A round
 * is repeated until, over the last one, every watched service compiled less than {@link #SETTLED_CORES}, read from
 * Micrometer's {@code jvm.compilation.time} on its Prometheus endpoint.
 */
final class Jit {

    /** Compiling less than a tenth of a core over a round: the round's hot paths are compiled. */
    static final double SETTLED_CORES = 0.1;

    interface Round {
        /** Answers false when the round could not complete: the warm-up stops there. */
        boolean run(int index) throws InterruptedException;
    }

    /** Per round, the cores the busiest module spent compiling (null where unreadable); completed unless a round failed. */
    record Warmup(List<Double> compiling, boolean completed) {}

    private final Function<Component, String> scrapes;
    private final List<Component> modules;

    Jit(Target target, Component... modules) {
        this(target::prometheus, modules);
    }

    /** {@code scrapes}: a module's Prometheus scrape, or null. */
    Jit(Function<Component, String> scrapes, Component... modules) {
        this.scrapes = scrapes;
        this.modules = List.of(modules);
    }

    /** Runs rounds until one ends with every module settled, at most {@code maxRounds}. */
    Warmup warm(int maxRounds, Round round) throws InterruptedException {
        List<Double> compiling = new ArrayList<>();
        for (int i = 0; i < maxRounds; i++) {
            double[] before = compiledSoFar();
            long t0 = System.nanoTime();
            if (!round.run(i)) {
                return new Warmup(compiling, false);
            }
            double busiest = busiest(before, compiledSoFar(), (System.nanoTime() - t0) / 1e9);
            compiling.add(Double.isNaN(busiest) ? null : Stats.round(busiest, 2));
            if (Double.isNaN(busiest) || busiest < SETTLED_CORES) {
                break;
            }
        }
        return new Warmup(compiling, true);
    }

    /** The largest compiling rate (cores) among modules readable both times; NaN when none is. */
    static double busiest(double[] before, double[] after, double seconds) {
        double max = Double.NaN;
        for (int i = 0; i < before.length; i++) {
            double rate = (after[i] - before[i]) / seconds;
            if (!Double.isNaN(rate)) {
                max = Double.isNaN(max) ? rate : Math.max(max, rate);
            }
        }
        return max;
    }

    /** Per watched module, its seconds of compilation so far (NaN where unreadable). */
    private double[] compiledSoFar() {
        double[] seconds = new double[modules.size()];
        for (int i = 0; i < seconds.length; i++) {
            seconds[i] = compilationSeconds(scrapes.apply(modules.get(i)));
        }
        return seconds;
    }

    /** Seconds of JIT compilation in a Prometheus scrape; NaN when absent. */
    static double compilationSeconds(String scrape) {
        return Scrape.sum(scrape, "jvm_compilation_time_ms_total") / 1000;
    }
}
