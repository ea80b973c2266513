package dev.mailtrail.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.simulator.LiveSettings;
import dev.mailtrail.simulator.QuotaState;
import dev.mailtrail.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ApiRateLimitTests {

    private static SimulatorSettings limit(int requestsPerSecond) {
        return new SimulatorSettings(
                requestsPerSecond,
                QuotaState.NONE,
                Duration.ZERO,
                1.0,
                0,
                0,
                Duration.ZERO,
                Duration.ZERO,
                List.of(),
                0);
    }

    // time stands still unless a test moves it, so no window ends by accident on a slow machine
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final LiveSettings settings = new LiveSettings(limit(0));
    private final ApiRateLimit rateLimit = new ApiRateLimit(settings, Duration.ofSeconds(1), nanos::get);

    @Test
    void offMeansNoDecisionAndNoHeaders() {
        assertThat(rateLimit.acquire()).isEmpty();
    }

    @Test
    void countsDownThenRefusesUntilTheNextWindow() {
        settings.set(limit(2));

        assertThat(rateLimit.acquire()).contains(new ApiRateLimit.Decision(true, 2, 1, 1));
        assertThat(rateLimit.acquire()).contains(new ApiRateLimit.Decision(true, 2, 0, 1));
        nanos.addAndGet(300_000_000L);
        assertThat(rateLimit.acquire()).contains(new ApiRateLimit.Decision(false, 2, 0, 1));

        nanos.addAndGet(700_000_000L);
        assertThat(rateLimit.acquire())
                .get()
                .extracting(ApiRateLimit.Decision::allowed)
                .isEqualTo(true);
    }

    @Test
    void aChangedLimitAppliesAtOnce() {
        settings.set(limit(1));
        rateLimit.acquire();
        assertThat(rateLimit.acquire())
                .get()
                .extracting(ApiRateLimit.Decision::allowed)
                .isEqualTo(false);

        settings.set(limit(5));
        assertThat(rateLimit.acquire()).contains(new ApiRateLimit.Decision(true, 5, 4, 1));
        settings.set(limit(0));
        assertThat(rateLimit.acquire()).isEmpty();
    }
}
