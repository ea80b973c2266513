package dev.mailtrail.send.kafka;

import dev.mailtrail.events.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.stereotype.Component;

/**
 * Records no retry can fix, set aside with their reason so their partition moves on: published to
 * {@code <topic>-dlt} (spring-kafka's recoverer, partitioned by key; the reason in the
 * {@code kafka_dlt-exception-message} header with the original topic, partition and offset, no Java class names or
 * stack traces), and counted by {@code mailtrail.kafka.dlt{topic,reason}}. The header starts with the reason's tag.
 */
@Component
public class DeadLetters {

    /** Why a record was set aside: the meter's {@code reason} tag. */
    public enum Reason {
        /** Not a record of the topic's type at all (not JSON, empty, JSON null). */
        UNREADABLE,
        /** Readable, but against the contract (a field's rule, the schema version). */
        INVALID,
        /** Another command was accepted for the same activity. */
        CONFLICT,
        /** Valid to the checks, but the store or Kafka refuses its data, every time (see {@link Faults}). */
        DATA_FAULT,
        /** Larger than Kafka takes. */
        TOO_LARGE,
        /** An event whose tenant is not the tenant of the activity its provider message id was sent for. */
        TENANT_MISMATCH;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The topics whose records this service sets aside: the two it consumes, and the two its outbox relays to. */
    private static final List<String> TOPICS = List.of(Topics.SEND_COMMANDS, Topics.EVENTS, Topics.ACTIVITY_STATE);

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublishingRecoverer recoverer;
    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    DeadLetters(KafkaTemplate<String, byte[]> kafka, MeterRegistry registry) {
        recoverer = new DeadLetterPublishingRecoverer(
                kafka, (record, e) -> new TopicPartition(record.topic() + Topics.DLT_SUFFIX, -1));
        recoverer.excludeHeader(HeadersToAdd.EXCEPTION, HeadersToAdd.EX_CAUSE, HeadersToAdd.EX_STACKTRACE);
        this.registry = registry;
        // registered up front, so an alert on increase() sees the first one
        TOPICS.forEach(topic -> List.of(Reason.values()).forEach(reason -> counter(topic, reason)));
    }

    /**
     * Publishes the record to its topic's dead-letter topic, waiting for Kafka's acknowledgement (a failure throws,
     * so the record is retried rather than lost), and counts it. {@code message} is the header, starting with the
     * reason's tag; it is not logged (it may name an activity).
     */
    public void send(ConsumerRecord<?, ?> record, Reason reason, String message) {
        recoverer.accept(record, new Rejected(message));
        log.warn(
                "Dead-lettered the record at {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                reason.tag());
        count(record.topic(), reason);
    }

    /** Counts a record set aside elsewhere than a dead-letter topic (the outbox relay keeps refused rows). */
    public void count(String topic, Reason reason) {
        counter(topic, reason).increment();
    }

    // topics are this service's own constants (Topics): a fixed set of tag values
    private Counter counter(String topic, Reason reason) {
        return counters.computeIfAbsent(
                topic + "/" + reason,
                key -> Counter.builder("mailtrail.kafka.dlt")
                        .description("Records set aside for good with their reason, by source topic")
                        .tag("topic", topic)
                        .tag("reason", reason.tag())
                        .register(registry));
    }

    /** Carries the reason to the recoverer, which writes its message into the header. */
    private static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
