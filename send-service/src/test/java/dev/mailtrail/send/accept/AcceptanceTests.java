package dev.mailtrail.send.accept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.SendEmailCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class AcceptanceTests {

    @Test
    void theFingerprintIgnoresHowTheRequestArrivedButNotWhatItAsks() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("b", "2");
        tags.put("a", "1");
        SendEmailCommand overKafka = command(1, tags, "Hi");

        assertThat(Acceptance.fingerprint(command(0, new TreeMap<>(tags), "Hi")))
                .isEqualTo(Acceptance.fingerprint(overKafka))
                .hasSize(64);
        assertThat(Acceptance.fingerprint(command(1, tags, "Hi!"))).isNotEqualTo(Acceptance.fingerprint(overKafka));
        assertThat(Acceptance.fingerprint(command(1, Map.of("a", "1"), "Hi")))
                .isNotEqualTo(Acceptance.fingerprint(overKafka));
    }

    private static SendEmailCommand command(int schemaVersion, Map<String, String> tags, String subject) {
        return new SendEmailCommand(
                schemaVersion,
                "act-1",
                "t-1",
                "a@example.com",
                List.of("b@example.com"),
                null,
                null,
                null,
                subject,
                "<p>Hi</p>",
                null,
                tags,
                null);
    }
}
