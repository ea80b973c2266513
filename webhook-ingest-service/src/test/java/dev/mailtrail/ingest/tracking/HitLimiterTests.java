package dev.mailtrail.ingest.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.fixtures.MutableClock;
import dev.mailtrail.ingest.tracking.TrackingMetrics.Dropped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class HitLimiterTests {

    static final TrackingToken PIXEL = TrackingToken.open("act-1", "t-1");
    static final TrackingToken OTHER = TrackingToken.open("act-2", "t-1");

    final MutableClock clock = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));
    final HitLimiter limiter = new HitLimiter(Trackings.properties(5, 12, DataSize.ofMegabytes(1)), clock);

    @Test
    void oneClientOnOneTokenIsRecordedUpToItsLimitThenRefilledOverTheMinute() {
        assertThat(outcomes(PIXEL, "203.0.113.7", 7))
                .containsExactly(
                        recorded(),
                        recorded(),
                        recorded(),
                        recorded(),
                        recorded(),
                        Optional.of(Dropped.CLIENT_RATE),
                        Optional.of(Dropped.CLIENT_RATE));

        // 5 a minute: one more every 12 s
        clock.advance(Duration.ofSeconds(12));
        assertThat(outcomes(PIXEL, "203.0.113.7", 2)).containsExactly(recorded(), Optional.of(Dropped.CLIENT_RATE));
        // another client, another token: their own buckets
        assertThat(limiter.limit(PIXEL, "198.51.100.1")).isEmpty();
        assertThat(limiter.limit(OTHER, "203.0.113.7")).isEmpty();
    }

    @Test
    void manyClientsOnOneTokenShareItsHourlyLimit() {
        List<Optional<Dropped>> outcomes = new ArrayList<>();
        for (int client = 1; client <= 5; client++) {
            outcomes.addAll(outcomes(PIXEL, "198.51.100." + client, 3));
        }

        assertThat(outcomes.stream().filter(Optional::isEmpty)).hasSize(12);
        assertThat(outcomes.subList(12, 15)).containsOnly(Optional.of(Dropped.TOKEN_RATE));
        assertThat(limiter.limit(OTHER, "198.51.100.1"))
                .as("another activity is not limited")
                .isEmpty();
        // 12 an hour: one more every 5 minutes
        clock.advance(Duration.ofMinutes(5));
        assertThat(limiter.limit(PIXEL, "198.51.100.9")).isEmpty();
        assertThat(limiter.limit(PIXEL, "198.51.100.10")).contains(Dropped.TOKEN_RATE);
    }

    @Test
    void aClickTokenIsItsOwnTokenAndAnUnknownClientIsOneClient() {
        TrackingToken link = TrackingToken.click("act-1", "t-1", 0, "https://acme.test/");

        assertThat(outcomes(link, null, 6)).endsWith(Optional.of(Dropped.CLIENT_RATE));
        assertThat(limiter.limit(PIXEL, null)).isEmpty();
    }

    @Test
    void theBucketsStayWithinTheirBytesWhateverTheNumberOfClients() {
        HitLimiter small = new HitLimiter(Trackings.properties(5, 12, DataSize.ofKilobytes(64)), clock);

        IntStream.range(0, 5_000).forEach(i -> small.limit(TrackingToken.open("act-" + i, "t-1"), "198.51.100.7"));

        assertThat(small.heldBytes())
                .isPositive()
                .isLessThanOrEqualTo(DataSize.ofKilobytes(64).toBytes());
    }

    private List<Optional<Dropped>> outcomes(TrackingToken token, String ip, int hits) {
        return IntStream.range(0, hits).mapToObj(i -> limiter.limit(token, ip)).toList();
    }

    private static Optional<Dropped> recorded() {
        return Optional.empty();
    }
}
