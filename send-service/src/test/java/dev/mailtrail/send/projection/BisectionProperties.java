package dev.mailtrail.send.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.send.kafka.DeadLetters.Reason;
import dev.mailtrail.send.projection.Bisection.Refused;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * A batch whose transaction PostgreSQL refuses for some records' data: whatever the batch and wherever the bad
 * records are, exactly those are refused and every other record is applied exactly once (a failed transaction
 * applies nothing); a fault worth retrying stops it as it is.
 */
class BisectionProperties {

    @Property
    void exactlyTheBadRecordsAreRefusedAndEveryOtherIsAppliedOnce(
            @ForAll @IntRange(min = 1, max = 600) int size,
            @ForAll @Size(max = 8) Set<@IntRange(max = 599) Integer> bad) {
        List<Integer> batch = IntStream.range(0, size).boxed().toList();
        List<Integer> applied = new ArrayList<>();
        List<Integer> transactions = new ArrayList<>();

        List<Refused<Integer>> refused = Bisection.apply(batch, records -> {
            transactions.add(records.size());
            if (records.stream().anyMatch(bad::contains)) {
                throw new R2dbcNonTransientResourceException("invalid byte sequence", "22021");
            }
            applied.addAll(records);
        });

        assertThat(refused)
                .extracting(Refused::item)
                .containsExactlyElementsOf(batch.stream().filter(bad::contains).toList());
        assertThat(refused).allSatisfy(r -> assertThat(r.fault().reason()).isEqualTo(Reason.DATA_FAULT));
        assertThat(applied)
                .containsExactlyInAnyOrderElementsOf(
                        batch.stream().filter(r -> !bad.contains(r)).toList());
        if (refused.isEmpty()) {
            assertThat(transactions).containsExactly(size);
        }
    }

    @Property
    void aFaultWorthRetryingIsThrownAsItIs(
            @ForAll @IntRange(min = 2, max = 200) int size,
            @ForAll @IntRange(max = 199) int bad,
            @ForAll @IntRange(max = 199) int unavailableFrom) {
        List<Integer> batch = IntStream.range(0, size).boxed().toList();
        RuntimeException outage =
                new R2dbcNonTransientResourceException("the database system is shutting down", "57P03");
        int[] calls = {0};

        assertThatThrownBy(() -> Bisection.apply(batch, records -> {
                    if (calls[0]++ >= unavailableFrom % 3) {
                        throw outage;
                    }
                    if (records.contains(bad % size)) {
                        throw new R2dbcNonTransientResourceException("unsupported Unicode escape sequence", "22P05");
                    }
                }))
                .isSameAs(outage);
    }

    @Test
    void losingTheVersionCheckToAnotherConsumerIsRetriedNotBisected() {
        RuntimeException lost = new ActivityStateRepository.ConcurrentStateChangeException(1);
        List<Integer> calls = new ArrayList<>();

        assertThatThrownBy(() -> Bisection.apply(List.of(1, 2, 3), records -> {
                    calls.add(records.size());
                    throw lost;
                }))
                .isSameAs(lost);
        assertThat(calls).containsExactly(3);
    }
}
