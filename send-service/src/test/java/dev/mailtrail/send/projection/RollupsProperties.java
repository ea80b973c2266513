package dev.mailtrail.send.projection;

import static dev.mailtrail.send.projection.ActivityFoldProperties.T0;
import static dev.mailtrail.send.projection.ActivityFoldProperties.deliveries;
import static dev.mailtrail.send.projection.ActivityFoldProperties.sorted;
import static dev.mailtrail.send.projection.ActivityFoldProperties.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.projection.Rollups.Counts;
import dev.mailtrail.send.projection.Rollups.Key;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The rollups are replay-safe: one activity's events delivered with duplicates, in any order and split into any
 * batches, moved batch by batch as {@link ProjectionBatch} moves them (old contribution out, new in), leave exactly
 * the contribution of the state of the distinct events; every count is 0 or 1 (activities, not hits).
 */
class RollupsProperties {

    @Property(tries = 300)
    void movingTheRollupsBatchByBatchEndsAtTheContributionOfTheSetOfEvents(
            @ForAll("distinctEvents") List<EmailEvent> distinct,
            @ForAll("rules") EngagementRules rules,
            @ForAll Random random) {
        MemoryHits memory = new MemoryHits(rules);
        Set<String> recorded = new HashSet<>();
        Map<Key, Counts> rollups = new TreeMap<>(Rollups.ORDER);
        ActivityState state = null;
        for (List<EmailEvent> batch : split(deliveries(distinct, random), random)) {
            List<EmailEvent> fresh =
                    batch.stream().filter(e -> recorded.add(e.eventId())).toList();
            if (fresh.isEmpty()) {
                continue;
            }
            ActivityState before = state;
            state = memory.apply(state, "act-1", fresh, T0).orElse(state);
            if (state != before) {
                Rollups.delta(List.of(new Rollups.Change(before, state)))
                        .forEach((key, counts) -> rollups.computeIfAbsent(key, k -> Rollups.Counts.zero())
                                .add(counts, 1));
            }
        }
        rollups.values().removeIf(Counts::isZero);
        ActivityState once = ActivityFold.of(EmailEvents.key("act-1"), sorted(distinct), rules, T0);

        Map<Key, Counts> expected = new TreeMap<>(Rollups.ORDER);
        expected.putAll(Rollups.contribution(once));
        expected.values().removeIf(Counts::isZero);

        assertThat(rollups).isEqualTo(expected);
        assertThat(rollups.values())
                .allSatisfy(c -> assertThat(java.util.Arrays.stream(c.values()).allMatch(v -> v == 0 || v == 1))
                        .isTrue());
    }

    @Provide
    Arbitrary<List<EmailEvent>> distinctEvents() {
        return ActivityFoldProperties.distinctEvents();
    }

    @Provide
    Arbitrary<EngagementRules> rules() {
        return ActivityFoldProperties.rules();
    }
}
