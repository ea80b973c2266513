package dev.mailtrail.send.accept;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * {@code mailtrail.send.accepted{entry=http|kafka, outcome=accepted|duplicate|conflict|invalid}}, every series
 * registered at construction.
 */
@Component
class AcceptMetrics {

    enum Entry {
        HTTP,
        KAFKA
    }

    private final Map<Entry, Map<Acceptance.Outcome, Counter>> accepted = new EnumMap<>(Entry.class);
    private final Map<Entry, Counter> invalid = new EnumMap<>(Entry.class);

    AcceptMetrics(MeterRegistry registry) {
        for (Entry entry : Entry.values()) {
            Map<Acceptance.Outcome, Counter> byOutcome = new EnumMap<>(Acceptance.Outcome.class);
            for (Acceptance.Outcome outcome : Acceptance.Outcome.values()) {
                byOutcome.put(outcome, counter(registry, entry, tag(outcome)));
            }
            accepted.put(entry, byOutcome);
            // refused before acceptance was asked: not an Acceptance.Outcome
            invalid.put(entry, counter(registry, entry, "invalid"));
        }
    }

    void count(Entry entry, Acceptance.Outcome outcome) {
        accepted.get(entry).get(outcome).increment();
    }

    void invalid(Entry entry) {
        invalid.get(entry).increment();
    }

    private static Counter counter(MeterRegistry registry, Entry entry, String outcome) {
        return Counter.builder("mailtrail.send.accepted")
                .description("Send requests received, by entry (HTTP or Kafka) and outcome")
                .tag("entry", tag(entry))
                .tag("outcome", outcome)
                .register(registry);
    }

    private static String tag(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
