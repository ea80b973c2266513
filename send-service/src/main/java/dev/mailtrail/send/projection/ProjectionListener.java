package dev.mailtrail.send.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#EVENTS} a poll batch at a time. This runs on the consumer's own thread, so waiting
 * for the batch's transaction here is right: offsets are committed only after it returns.
 */
@Component
class ProjectionListener {

    private static final Logger log = LoggerFactory.getLogger(ProjectionListener.class);
    private static final Duration BATCH_BOUND = Duration.ofMinutes(2);

    private final ProjectionBatch batch;
    private final ProjectionMetrics metrics;

    ProjectionListener(ProjectionBatch batch, ProjectionMetrics metrics) {
        this.batch = batch;
        this.metrics = metrics;
    }

    @KafkaListener(id = "projection", topics = Topics.EVENTS, batch = "true")
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<EmailEvent> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(WireJson.read(record.value(), EmailEvent.class));
            }
            catch (RuntimeException e) {
                metrics.poison();
                log.warn("Skipping unreadable record at {}-{}@{}: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }
        batch.apply(events).block(BATCH_BOUND);
    }
}
