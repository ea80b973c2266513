package dev.mailtrail.send.projection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.outbox.OutboxRelay;
import dev.mailtrail.send.projection.EventReader.PoisonRecordException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#EVENTS} a poll batch at a time. This runs on the consumer's own thread, so waiting
 * for the batch's transaction here is right: offsets are committed only after it returns. A failure throws, and
 * the container's error handler retries the whole batch (see {@link ProjectionConfiguration}).
 */
@Component
class ProjectionListener {

    private static final Logger log = LoggerFactory.getLogger(ProjectionListener.class);
    private static final Duration BATCH_BOUND = Duration.ofMinutes(2);

    private final ProjectionBatch batch;
    private final ProjectionMetrics metrics;
    private final ConsumerRecordRecoverer deadLetters;
    private final OutboxRelay relay;

    ProjectionListener(ProjectionBatch batch, ProjectionMetrics metrics, ConsumerRecordRecoverer deadLetters,
            OutboxRelay relay) {
        this.batch = batch;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.relay = relay;
    }

    // the group is spring.kafka.consumer.group-id (mailtrail-projection), which dashboards and alerts name; a
    // consumer per partition, so one batch's JSON work overlaps another's round trips to Postgres; a fetch waits
    // up to fetch-max-wait-ms for fetch-min-bytes (~50 events), since every batch, however small, pays its
    // transaction's statements and round trips
    @KafkaListener(id = "projection", idIsGroup = false, topics = Topics.EVENTS, batch = "true",
            concurrency = "${mailtrail.projection.concurrency:3}",
            properties = {"fetch.min.bytes=${mailtrail.projection.fetch-min-bytes:32768}",
                    "fetch.max.wait.ms=${mailtrail.projection.fetch-max-wait-ms:50}"})
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        metrics.batch(records.size());
        List<EmailEvent> events = new ArrayList<>(records.size());
        List<ConsumerRecord<String, byte[]>> poison = new ArrayList<>();
        List<PoisonRecordException> reasons = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(EventReader.read(record.value()));
            }
            catch (PoisonRecordException e) {
                poison.add(record);
                reasons.add(e);
            }
        }
        Integer changed = batch.apply(events).block(BATCH_BOUND);
        events.forEach(metrics::lag);
        if (changed != null && changed > 0) {
            relay.trigger();
        }
        // after the commit, so retries of a failing batch do not repeat them; before the offsets, so none is lost
        for (int i = 0; i < poison.size(); i++) {
            ConsumerRecord<String, byte[]> record = poison.get(i);
            PoisonRecordException reason = reasons.get(i);
            log.warn("Dead-lettering the record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    reason.getMessage());
            deadLetters.accept(record, reason);
            metrics.poison(reason.type());
        }
    }
}
