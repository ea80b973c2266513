package dev.mailtrail.simulator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ScenarioProperties {

    @Property(tries = 300)
    void addressesOutsideResendDevAreDelivered(@ForAll("localParts") String local, @ForAll("domains") String domain) {
        assertThat(Scenario.forRecipient(local + "@" + domain)).isEqualTo(Scenario.DELIVER);
    }

    @Property(tries = 300)
    void testAddressesIgnoreCaseDisplayNameAndLabel(
            @ForAll("mixedCase") String bounced,
            @ForAll("localParts") String label,
            @ForAll("localParts") String displayName) {
        assertThat(Scenario.forRecipient(displayName + " <" + bounced + "+" + label + "@ReSend.DEV>"))
                .isEqualTo(Scenario.BOUNCE);
    }

    @Provide
    Arbitrary<String> localParts() {
        return Arbitraries.strings().withChars("abcxyzABC019._-").ofMinLength(1).ofMaxLength(20);
    }

    @Provide
    Arbitrary<String> domains() {
        return Arbitraries.strings()
                .withChars("abcdexyz019-.")
                .ofMinLength(1)
                .ofMaxLength(20)
                .filter(d -> !d.equalsIgnoreCase("resend.dev"));
    }

    @Provide
    Arbitrary<String> mixedCase() {
        return Arbitraries.integers().between(0, (1 << 7) - 1).map(mask -> {
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < "bounced".length(); i++) {
                char c = "bounced".charAt(i);
                word.append((mask & (1 << i)) != 0 ? Character.toUpperCase(c) : c);
            }
            return word.toString();
        });
    }
}
