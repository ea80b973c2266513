package dev.mailtrail.send.projection;

import java.util.Map;

import dev.mailtrail.events.Topics;
import org.apache.kafka.common.TopicPartition;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer.HeaderNames.HeadersToAdd;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/** How the projection's consumer fails: poison records to the dead-letter topic, everything else retried. */
@Configuration(proxyBeanMethods = false)
class ProjectionConfiguration {

    /**
     * A batch that failed as a whole (database down, a deadlock, a concurrent change) is retried until it succeeds:
     * its records are valid, and skipping them would lose acknowledged events. Nothing is classified as fatal.
     */
    @Bean
    CommonErrorHandler retryBatchesForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        handler.setClassifications(Map.of(), true);
        return handler;
    }

    /**
     * spring-kafka's dead-lettering to {@code <topic>-dlt}, partitioned by key. The reason travels in the
     * {@code kafka_dlt-exception-message} header with the original topic, partition and offset; no Java class
     * names or stack traces.
     */
    @Bean
    ConsumerRecordRecoverer deadLetters(KafkaTemplate<String, byte[]> kafka) {
        DeadLetterPublishingRecoverer recoverer = new DeadLetterPublishingRecoverer(kafka,
                (record, e) -> new TopicPartition(record.topic() + Topics.DLT_SUFFIX, -1));
        recoverer.excludeHeader(HeadersToAdd.EXCEPTION, HeadersToAdd.EX_CAUSE, HeadersToAdd.EX_STACKTRACE);
        return recoverer;
    }
}
