package dev.mailtrail.ingest.tracking;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.fixtures.MutableClock;
import dev.mailtrail.ingest.tracking.TrackingMetrics.Dropped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.springframework.util.unit.DataSize;

/**
 * Within one instant (no refill), whatever the order of hits over a few tokens and clients, the limiter records
 * exactly what a plain count would: a client's first {@code perClient} hits on a token, and a token's first
 * {@code perToken} hits that its clients' limits let through.
 */
class HitLimiterProperties {

    record Hit(int token, int client) {}

    @Property(tries = 500)
    void recordsExactlyWhatCountingWould(
            @ForAll("hits") List<Hit> hits,
            @ForAll @IntRange(min = 1, max = 6) int perClient,
            @ForAll @IntRange(min = 1, max = 15) int perToken) {
        HitLimiter limiter = new HitLimiter(
                Trackings.properties(perClient, perToken, DataSize.ofMegabytes(1)),
                new MutableClock(Instant.parse("2026-11-26T10:00:00Z")));
        Map<Hit, Integer> byClient = new HashMap<>();
        Map<Integer, Integer> byToken = new HashMap<>();

        for (Hit hit : hits) {
            Optional<Dropped> expected;
            if (byClient.merge(hit, 1, Integer::sum) > perClient) {
                expected = Optional.of(Dropped.CLIENT_RATE);
            } else if (byToken.merge(hit.token(), 1, Integer::sum) > perToken) {
                expected = Optional.of(Dropped.TOKEN_RATE);
            } else {
                expected = Optional.empty();
            }
            assertThat(limiter.limit(TrackingToken.open("act-" + hit.token(), "t-1"), "198.51.100." + hit.client()))
                    .as("%s after %s", hit, byClient)
                    .isEqualTo(expected);
        }
    }

    @Provide
    Arbitrary<List<Hit>> hits() {
        Arbitrary<Hit> hit = Arbitraries.integers()
                .between(0, 2)
                .flatMap(token -> Arbitraries.integers().between(0, 3).map(client -> new Hit(token, client)));
        return hit.list().ofMaxSize(60);
    }
}
