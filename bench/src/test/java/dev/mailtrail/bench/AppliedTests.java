package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedTests {

    @Test
    void expectationsCountDistinctEventsOpensAndClicksPerActivity() {
        Map<String, Applied.Expected> expected = Applied.expected(List.of(
                new String[] {"a1", "email.sent", "resend:1"},
                new String[] {"a1", "email.opened", "resend:2"},
                new String[] {"a1", "opened", "resend:3"},
                new String[] {"a1", "email.clicked", "resend:4"},
                new String[] {"a2", "email.bounced", "resend:5"}));
        assertThat(expected.get("a1").events).isEqualTo(4);
        assertThat(expected.get("a1").opens).isEqualTo(2);
        assertThat(expected.get("a1").clicks).isEqualTo(1);
        assertThat(expected.get("a2").opens).isZero();
    }
}
