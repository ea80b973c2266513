package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.localstack.Component;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class JitTests {

    @Test
    void compilationTimeIsReadFromAPrometheusScrape() {
        String scrape = """
                # HELP jvm_compilation_time_ms_total The approximate accumulated elapsed time spent in compilation
                # TYPE jvm_compilation_time_ms_total counter
                jvm_compilation_time_ms_total{application="send-service",compiler="HotSpot 64-Bit Tiered Compilers"} 76474.0
                jvm_gc_pause_seconds_count{action="end of minor GC"} 12
                """;
        assertThat(Jit.compilationSeconds(scrape)).isEqualTo(76.474);
        assertThat(Jit.compilationSeconds("jvm_gc_pause_seconds_count 12\n")).isNaN();
        assertThat(Jit.compilationSeconds(null)).isNaN();
    }

    @Test
    void theBusiestReadableServiceDecides() {
        assertThat(Jit.busiest(new double[] {10, 20}, new double[] {12, 21}, 10))
                .isEqualTo(0.2);
        assertThat(Jit.busiest(new double[] {Double.NaN, 20}, new double[] {12, 21}, 10))
                .isEqualTo(0.1);
        assertThat(Jit.busiest(new double[] {Double.NaN}, new double[] {Double.NaN}, 10))
                .isNaN();
    }

    @Test
    void roundsRepeatUntilTheJitSettles() throws InterruptedException {
        // compiling seconds read before and after each round: busy, busy, then settled (no compile time added)
        Iterator<Double> readings =
                List.of(0.0, 50.0, 50.0, 100.0, 100.0, 100.0, 100.0, 100.0).iterator();
        List<Integer> rounds = new ArrayList<>();
        Jit.Warmup warmup =
                new Jit(module -> scrape(readings.next()), Component.SEND_SERVICE).warm(5, round -> rounds.add(round));
        assertThat(rounds).containsExactly(0, 1, 2);
        assertThat(warmup.completed()).isTrue();
        assertThat(warmup.compiling()).hasSize(3).last().isEqualTo(0.0);
    }

    @Test
    void roundsStopAtTheLimitOrAtAFailedRound() throws InterruptedException {
        Iterator<Double> readings = Stream.iterate(0.0, s -> s + 60).iterator();
        assertThat(new Jit(module -> scrape(readings.next()), Component.SEND_SERVICE)
                        .warm(3, round -> true)
                        .compiling())
                .hasSize(3);
        Jit.Warmup failed = new Jit(module -> scrape(0.0), Component.SEND_SERVICE).warm(5, round -> false);
        assertThat(failed.completed()).isFalse();
        assertThat(failed.compiling()).isEmpty();
    }

    @Test
    void unreadableFiguresEndTheWarmUpAfterOneRound() throws InterruptedException {
        Jit.Warmup once = new Jit(module -> null, Component.SEND_SERVICE).warm(5, round -> true);
        assertThat(once.compiling()).containsExactly((Double) null);
    }

    private static String scrape(double seconds) {
        return "jvm_compilation_time_ms_total{compiler=\"c2\"} " + seconds * 1000 + "\n";
    }
}
