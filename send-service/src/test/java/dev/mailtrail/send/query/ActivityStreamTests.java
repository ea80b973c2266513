package dev.mailtrail.send.query;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.projection.ActivityFold;
import dev.mailtrail.send.projection.EngagementRules;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ActivityStreamTests {

    @Test
    void unreadableStatesAreSkippedAndCountedAndTheNextOneIsStreamed() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ActivityStream stream = new ActivityStream(new StreamMetrics(meters));
        ActivityState state = ActivityFold.of(
                key("act-1"),
                List.of(event(EmailEventType.SENT).build()),
                EngagementRules.DEFAULTS,
                Instant.parse("2026-11-26T10:00:00Z"));

        StepVerifier.create(stream.changes().take(1))
                .then(() -> stream.onStates(List.of(
                        record("{not json".getBytes(StandardCharsets.UTF_8)),
                        record("null".getBytes(StandardCharsets.UTF_8)),
                        record(WireJson.write(state)))))
                .expectNext(state)
                .verifyComplete();

        assertThat(meters.get("mailtrail.stream.skipped")
                        .tag("reason", "unreadable")
                        .counter()
                        .count())
                .isEqualTo(2);
    }

    private static ConsumerRecord<String, byte[]> record(byte[] value) {
        return new ConsumerRecord<>(Topics.ACTIVITY_STATE, 0, 0, "act-1", value);
    }
}
