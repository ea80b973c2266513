package dev.mailtrail.simulator.api;

import dev.mailtrail.simulator.LiveSettings;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Resend's requests/s limit: a resilience4j fixed-window limiter (windows of one second), rebuilt whenever the live
 * {@code rate-limit} setting changes. A request over the limit is refused at once, never queued, as Resend does.
 */
@Component
class ApiRateLimit {

    /** One request's outcome and what the {@code ratelimit-*} headers say about it. */
    record Decision(boolean allowed, int limit, int remaining, long resetSeconds) {}

    private final LiveSettings settings;
    private final Duration window;
    private final Supplier<Long> nanoTime;
    private AtomicRateLimiter limiter;

    @Autowired
    ApiRateLimit(LiveSettings settings) {
        this(settings, Duration.ofSeconds(1), System::nanoTime);
    }

    /** With the window and clock under a test's control. */
    ApiRateLimit(LiveSettings settings, Duration window, Supplier<Long> nanoTime) {
        this.settings = settings;
        this.window = window;
        this.nanoTime = nanoTime;
    }

    /** Takes one permit; empty while rate limiting is off. */
    Optional<Decision> acquire() {
        int limit = settings.get().rateLimit();
        if (limit == 0) {
            return Optional.empty();
        }
        AtomicRateLimiter current = limiterFor(limit);
        boolean allowed = current.acquirePermission();
        AtomicRateLimiter.AtomicRateLimiterMetrics metrics = current.getDetailedMetrics();
        // whole seconds, rounded up; nanos to wait is 0 while permits are left (the window then ends within a second)
        long resetSeconds = Math.max(1, (metrics.getNanosToWait() + 999_999_999L) / 1_000_000_000L);
        return Optional.of(new Decision(allowed, limit, Math.max(0, metrics.getAvailablePermissions()), resetSeconds));
    }

    private synchronized AtomicRateLimiter limiterFor(int limit) {
        if (limiter == null || limiter.getRateLimiterConfig().getLimitForPeriod() != limit) {
            limiter = new AtomicRateLimiter(
                    "resend-api",
                    RateLimiterConfig.custom()
                            .limitForPeriod(limit)
                            .limitRefreshPeriod(window)
                            .timeoutDuration(Duration.ZERO)
                            .build(),
                    nanoTime);
        }
        return limiter;
    }
}
