package dev.mailtrail.simulator.webhooks;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Svix's retry schedule: after a failed first attempt, 8 more, ~27.5 h in all; every delay times a scale factor. */
final class RetrySchedule {

    static final List<Duration> DELAYS = List.of(
            Duration.ZERO,
            Duration.ofSeconds(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(30),
            Duration.ofHours(2),
            Duration.ofHours(5),
            Duration.ofHours(10),
            Duration.ofHours(10));

    private RetrySchedule() {}

    /** The wait before the attempt after failed attempt {@code attempt} (1-based); empty once it was the last. */
    static Optional<Duration> after(int attempt, double scale) {
        if (attempt > DELAYS.size()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.round(DELAYS.get(attempt - 1).toNanos() * scale)));
    }
}
