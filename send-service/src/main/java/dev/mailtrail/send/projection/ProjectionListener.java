package dev.mailtrail.send.projection;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.kafka.DeadLetters;
import dev.mailtrail.send.kafka.DeadLetters.Reason;
import dev.mailtrail.send.kafka.ListenerErrorHandlers;
import dev.mailtrail.send.projection.Bisection.Refused;
import dev.mailtrail.send.projection.EventReader.PoisonRecordException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#EVENTS} a poll batch at a time. This runs on the consumer's own thread, so waiting
 * for the batch's transactions here is right: offsets are committed only after it returns. Records that are not
 * events, that PostgreSQL refuses for their data (isolated by {@link Bisection}), or that name another tenant than
 * the activity their provider message id belongs to, go to
 * {@code crm.email.events-dlt} with the reason and the rest is applied; any other failure throws, and the container's
 * error handler retries the whole batch for ever ({@link ListenerErrorHandlers#PROJECTION}).
 */
@Component
class ProjectionListener {

    private static final Duration BATCH_BOUND = Duration.ofMinutes(2);
    private static final String TENANT_MISMATCH = "tenant_mismatch: the event names another tenant than the activity"
            + " its providerMessageId was sent for; it changed nothing";

    private final ProjectionBatch batch;
    private final ProjectionMetrics metrics;
    private final DeadLetters deadLetters;

    ProjectionListener(ProjectionBatch batch, ProjectionMetrics metrics, DeadLetters deadLetters) {
        this.batch = batch;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
    }

    /** A record and the event it holds. */
    private record Read(ConsumerRecord<String, byte[]> record, EmailEvent event) {}

    // the group is spring.kafka.consumer.group-id (mailtrail-projection), which dashboards and alerts name; a
    // consumer per partition, so one batch's JSON work overlaps another's round trips to Postgres; a fetch waits
    // up to fetch-max-wait-ms for fetch-min-bytes (~50 events), since every batch, however small, pays its
    // transaction's statements and round trips
    @KafkaListener(
            id = "projection",
            idIsGroup = false,
            topics = Topics.EVENTS,
            batch = "true",
            containerPostProcessor = ListenerErrorHandlers.PROJECTION,
            concurrency = "${mailtrail.projection.concurrency:3}",
            properties = {
                "fetch.min.bytes=${mailtrail.projection.fetch-min-bytes:32768}",
                "fetch.max.wait.ms=${mailtrail.projection.fetch-max-wait-ms:50}"
            })
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        metrics.batch(records.size());
        List<Read> events = new ArrayList<>(records.size());
        List<Map.Entry<ConsumerRecord<String, byte[]>, PoisonRecordException>> poison = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                EmailEvent event = EventReader.read(record.value());
                // inbound mail belongs to no activity yet: the reply matcher reads it (replies.Replies), never parked
                if (event.type() != EmailEventType.INBOUND_RECEIVED) {
                    events.add(new Read(record, event));
                }
            } catch (PoisonRecordException e) {
                poison.add(Map.entry(record, e));
            }
        }
        List<Read> mismatched = new ArrayList<>();
        List<Refused<Read>> refused = Bisection.apply(events, reads -> apply(reads, mismatched));
        // after the commits, so retries of a failing batch do not repeat them; before the offsets, so none is lost
        poison.forEach(p ->
                deadLetters.send(p.getKey(), p.getValue().reason(), p.getValue().getMessage()));
        refused.forEach(r -> deadLetters.send(
                r.item().record(), r.fault().reason(), r.fault().message()));
        mismatched.forEach(r -> deadLetters.send(r.record(), Reason.TENANT_MISMATCH, TENANT_MISMATCH));
    }

    /**
     * One transaction; what it changed is counted once committed (see {@link ProjectionBatch#apply}), and the reads
     * whose event named the wrong tenant are added to {@code mismatched}.
     */
    private void apply(List<Read> reads, List<Read> mismatched) {
        List<EmailEvent> events = reads.stream().map(Read::event).toList();
        ProjectionBatch.Applied applied = batch.apply(events).block(BATCH_BOUND);
        events.forEach(metrics::lag);
        if (applied == null) {
            return;
        }
        Set<EmailEvent> wrongTenant = Collections.newSetFromMap(new IdentityHashMap<>());
        wrongTenant.addAll(applied.mismatched());
        reads.stream().filter(r -> wrongTenant.contains(r.event())).forEach(mismatched::add);
    }
}
