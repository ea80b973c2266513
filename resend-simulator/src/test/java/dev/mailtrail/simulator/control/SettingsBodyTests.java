package dev.mailtrail.simulator.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.simulator.QuotaState;
import dev.mailtrail.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsBodyTests {

    private final SimulatorSettings current = new SimulatorSettings(
            5,
            QuotaState.NONE,
            Duration.ofMillis(10),
            1.0,
            0,
            0,
            Duration.ZERO,
            Duration.ofMillis(50),
            List.of("acme.test"),
            0);

    @Test
    void absentFieldsKeepTheirValues() {
        SimulatorSettings changed = new SettingsBody(
                        null, QuotaState.DAILY, null, 0.5, null, 0.25, null, null, null, null)
                .applyTo(current);

        assertThat(changed)
                .isEqualTo(new SimulatorSettings(
                        5,
                        QuotaState.DAILY,
                        Duration.ofMillis(10),
                        0.5,
                        0,
                        0.25,
                        Duration.ZERO,
                        Duration.ofMillis(50),
                        List.of("acme.test"),
                        0));
        assertThat(SettingsBody.of(changed).applyTo(current)).isEqualTo(changed);
    }

    @Test
    void lossRateIsAProbability() {
        assertThat(new SettingsBody(null, null, null, null, null, null, null, null, null, 0.3)
                        .applyTo(current)
                        .lossRate())
                .isEqualTo(0.3);
        assertThatThrownBy(() ->
                        new SettingsBody(null, null, null, null, null, null, null, null, null, 1.01).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loss-rate");
        assertThatThrownBy(() ->
                        new SettingsBody(null, null, null, null, null, null, null, null, null, -0.1).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unverifiedDomainsGivenReplaceTheListTrimmedLowerCaseAndOnceEach() {
        SimulatorSettings changed = unverified(List.of(" Example.COM", "example.com", "sub.acme.test"));

        assertThat(changed.unverifiedDomains()).containsExactly("example.com", "sub.acme.test");
        assertThat(changed.unverified("EXAMPLE.com")).isTrue();
        assertThat(changed.unverified("acme.test")).isFalse();
        assertThat(unverified(List.of()).unverifiedDomains()).isEmpty();
    }

    @Test
    void outOfRangeValuesAreRefused() {
        assertThatThrownBy(() ->
                        new SettingsBody(null, null, null, null, 1.5, null, null, null, null, null).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duplicate-rate");
        assertThatThrownBy(() ->
                        new SettingsBody(null, null, null, null, null, null, 60L, null, null, null).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("extra-delay-min");
        assertThatThrownBy(() ->
                        new SettingsBody(-1, null, null, null, null, null, null, null, null, null).applyTo(current))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rate-limit");
        for (List<String> bad : List.of(
                List.of("a@example.com"),
                List.of(" "),
                List.of("exa mple.com"),
                Arrays.asList("example.com", null),
                Collections.nCopies(1001, "example.com"))) {
            assertThatThrownBy(() -> unverified(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unverified-domains");
        }
    }

    private SimulatorSettings unverified(List<String> domains) {
        return new SettingsBody(null, null, null, null, null, null, null, null, domains, null).applyTo(current);
    }
}
