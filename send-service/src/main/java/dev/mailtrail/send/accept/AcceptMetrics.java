package dev.mailtrail.send.accept;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** {@code mailtrail.send.accepted{entry=http|kafka, outcome=accepted|duplicate|conflict|invalid}}. */
@Component
class AcceptMetrics {

    enum Entry {
        HTTP,
        KAFKA
    }

    private static final String INVALID = "invalid";

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    AcceptMetrics(MeterRegistry registry) {
        for (Entry entry : Entry.values()) {
            for (Acceptance.Outcome outcome : Acceptance.Outcome.values()) {
                register(registry, entry, outcome.name().toLowerCase(Locale.ROOT));
            }
            register(registry, entry, INVALID);
        }
    }

    void count(Entry entry, Acceptance.Outcome outcome) {
        counters.get(key(entry, outcome.name().toLowerCase(Locale.ROOT))).increment();
    }

    void invalid(Entry entry) {
        counters.get(key(entry, INVALID)).increment();
    }

    private void register(MeterRegistry registry, Entry entry, String outcome) {
        counters.put(
                key(entry, outcome),
                Counter.builder("mailtrail.send.accepted")
                        .description("Send requests received, by entry (HTTP or Kafka) and outcome")
                        .tag("entry", entry.name().toLowerCase(Locale.ROOT))
                        .tag("outcome", outcome)
                        .register(registry));
    }

    private static String key(Entry entry, String outcome) {
        return entry + "/" + outcome;
    }
}
