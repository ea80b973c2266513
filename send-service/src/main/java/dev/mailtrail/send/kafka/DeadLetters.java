package dev.mailtrail.send.kafka;

import dev.mailtrail.events.Topics;
import java.util.Locale;
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
 * stack traces), and counted by {@code mailtrail.kafka.dlt{topic,reason}} ({@link DeadLetterMetrics}). The header starts with the reason's tag.
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

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

    private final DeadLetterPublishingRecoverer recoverer;
    private final DeadLetterMetrics metrics;

    DeadLetters(KafkaTemplate<String, byte[]> kafka, DeadLetterMetrics metrics) {
        recoverer = new DeadLetterPublishingRecoverer(
                kafka, (record, e) -> new TopicPartition(record.topic() + Topics.DLT_SUFFIX, -1));
        recoverer.excludeHeader(HeadersToAdd.EXCEPTION, HeadersToAdd.EX_CAUSE, HeadersToAdd.EX_STACKTRACE);
        this.metrics = metrics;
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
        metrics.count(topic, reason);
    }

    /** Carries the reason to the recoverer, which writes its message into the header. */
    private static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }
}
