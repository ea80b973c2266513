package dev.mailtrail.simulator.webhooks;

import static dev.mailtrail.simulator.webhooks.EmailEventType.CLICKED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.DELIVERED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.OPENED;
import static dev.mailtrail.simulator.webhooks.EmailEventType.SENT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.simulator.LiveSettings;
import dev.mailtrail.simulator.QuotaState;
import dev.mailtrail.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChaosTests {

    private static final List<EmailEventType> EVENTS = List.of(SENT, DELIVERED, OPENED, CLICKED);

    private static Chaos chaos(double duplicateRate, double reorderRate, Duration min, Duration max) {
        return new Chaos(new LiveSettings(new SimulatorSettings(
                0, QuotaState.NONE, Duration.ZERO, 1.0, duplicateRate, reorderRate, min, max, List.of(), 0)));
    }

    @Test
    void offByDefault() {
        Chaos calm = chaos(0, 0, Duration.ZERO, Duration.ZERO);

        for (int i = 0; i < 100; i++) {
            assertThat(calm.order(EVENTS)).isEqualTo(EVENTS);
            assertThat(calm.duplicate()).isFalse();
            assertThat(calm.extraDelay()).isZero();
        }
    }

    @Test
    void reorderingShufflesTheSameEvents() {
        Chaos wild = chaos(1, 1, Duration.ofMillis(10), Duration.ofMillis(20));
        Set<List<EmailEventType>> orders = new HashSet<>();

        for (int i = 0; i < 200; i++) {
            List<EmailEventType> order = wild.order(EVENTS);
            assertThat(order).containsExactlyInAnyOrderElementsOf(EVENTS);
            orders.add(order);
            assertThat(wild.duplicate()).isTrue();
            assertThat(wild.extraDelay()).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
        }
        // 24 orders possible; 200 draws all giving the same one would mean no shuffling
        assertThat(orders).hasSizeGreaterThan(1);
    }
}
