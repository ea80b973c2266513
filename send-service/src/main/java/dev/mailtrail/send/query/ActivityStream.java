package dev.mailtrail.send.query;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.kafka.ListenerErrorHandlers;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Every state change, from {@link Topics#ACTIVITY_STATE}, for live subscribers. Each replica reads the whole topic
 * under a group of its own (from the latest offset), so a subscriber sees every change whichever replica made it.
 * Slow subscribers miss changes rather than hold the others back: they can re-read the state over HTTP.
 * <p>
 * A record that is not a state is skipped and counted ({@code mailtrail.stream.skipped{reason=unreadable}}), not
 * dead-lettered: every replica reads every record, so each would dead-letter the same one, and the projection's
 * own copy of the state stays readable over HTTP.
 */
@Component
public class ActivityStream {

    static final String LISTENER_ID = "activity-stream";
    private static final Logger log = LoggerFactory.getLogger(ActivityStream.class);

    private final Sinks.Many<ActivityState> changes = Sinks.many().multicast().directBestEffort();
    private final StreamMetrics metrics;

    ActivityStream(StreamMetrics metrics) {
        this.metrics = metrics;
    }

    // fetches wait for 64 KB or 200 ms: a change reaches a browser a little later, for far fewer fetch requests
    @KafkaListener(
            id = LISTENER_ID,
            topics = Topics.ACTIVITY_STATE,
            batch = "true",
            idIsGroup = false,
            groupId = "mailtrail-stream-${random.uuid}",
            containerPostProcessor = ListenerErrorHandlers.ACTIVITY_STREAM,
            properties = {"auto.offset.reset=latest", "fetch.min.bytes=65536", "fetch.max.wait.ms=200"})
    void onStates(List<ConsumerRecord<String, byte[]>> records) {
        // nobody listening (the usual case): reading every state would cost as much as the projection's own reads
        if (changes.currentSubscriberCount() == 0) {
            return;
        }
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                changes.tryEmitNext(WireJson.read(record.value(), ActivityState.class));
            } catch (RuntimeException e) {
                metrics.skipped(StreamMetrics.Skipped.UNREADABLE);
                log.warn(
                        "Skipping an unreadable state at {}-{}@{}",
                        record.topic(),
                        record.partition(),
                        record.offset());
            }
        }
    }

    public Flux<ActivityState> changes() {
        return changes.asFlux();
    }
}
