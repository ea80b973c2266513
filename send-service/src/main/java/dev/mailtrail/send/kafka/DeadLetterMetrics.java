package dev.mailtrail.send.kafka;

import dev.mailtrail.events.Topics;
import dev.mailtrail.send.kafka.DeadLetters.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * {@code mailtrail.kafka.dlt{topic,reason}}, every series registered at construction: the topics whose records this
 * service sets aside (the ones it consumes and the ones its outbox relays to), and {@code other} for a topic outside
 * them (an outbox row naming a topic Kafka refuses), so an untrusted name never becomes a tag value.
 */
@Component
class DeadLetterMetrics {

    static final List<String> TOPICS = List.of(Topics.SEND_COMMANDS, Topics.EVENTS, Topics.ACTIVITY_STATE);
    static final String OTHER = "other";

    private final Map<String, Map<Reason, Counter>> counters;

    DeadLetterMetrics(MeterRegistry registry) {
        counters = Stream.concat(TOPICS.stream(), Stream.of(OTHER))
                .collect(Collectors.toUnmodifiableMap(Function.identity(), topic -> {
                    Map<Reason, Counter> byReason = new EnumMap<>(Reason.class);
                    for (Reason reason : Reason.values()) {
                        byReason.put(
                                reason,
                                Counter.builder("mailtrail.kafka.dlt")
                                        .description("Records set aside for good with their reason, by source topic")
                                        .tag("topic", topic)
                                        .tag("reason", reason.tag())
                                        .register(registry));
                    }
                    return byReason;
                }));
    }

    void count(String topic, Reason reason) {
        counters.getOrDefault(topic, counters.get(OTHER)).get(reason).increment();
    }
}
