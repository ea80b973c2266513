package dev.mailtrail.simulator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.mailtrail.simulator.QuotaState;
import dev.mailtrail.simulator.SimulatorSettings;

class SettingsBodyTests {

    private final SimulatorSettings current = new SimulatorSettings(5, QuotaState.NONE, Duration.ofMillis(10), 1.0,
            0, 0, Duration.ZERO, Duration.ofMillis(50));

    @Test
    void absentFieldsKeepTheirValues() {
        SimulatorSettings changed = new SettingsBody(null, QuotaState.DAILY, null, 0.5, null, 0.25, null, null)
                .applyTo(current);

        assertThat(changed).isEqualTo(new SimulatorSettings(5, QuotaState.DAILY, Duration.ofMillis(10), 0.5, 0, 0.25,
                Duration.ZERO, Duration.ofMillis(50)));
        assertThat(SettingsBody.of(changed).applyTo(current)).isEqualTo(changed);
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThatThrownBy(() -> new SettingsBody(null, null, null, null, 1.5, null, null, null).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate-rate");
        assertThatThrownBy(() -> new SettingsBody(null, null, null, null, null, null, 60L, null).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("extra-delay-min");
        assertThatThrownBy(() -> new SettingsBody(-1, null, null, null, null, null, null, null).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rate-limit");
    }
}
