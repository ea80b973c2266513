package dev.mailtrail.send.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.Topics;
import dev.mailtrail.send.kafka.DeadLetters.Reason;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class DeadLetterMetricsTests {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final DeadLetterMetrics metrics = new DeadLetterMetrics(registry);

    @Test
    void everyTopicAndReasonExistsAtZeroFromConstruction() {
        assertThat(registry.find("mailtrail.kafka.dlt").counters())
                .hasSize((DeadLetterMetrics.TOPICS.size() + 1) * Reason.values().length)
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
    }

    @Test
    void aKnownTopicIsItsOwnTagAndAnyOtherIsCountedAsOther() {
        int series = registry.getMeters().size();

        metrics.count(Topics.EVENTS, Reason.DATA_FAULT);
        metrics.count("crm.email.typo", Reason.TOO_LARGE);

        assertThat(count(Topics.EVENTS, Reason.DATA_FAULT)).isEqualTo(1);
        assertThat(count(DeadLetterMetrics.OTHER, Reason.TOO_LARGE)).isEqualTo(1);
        assertThat(registry.getMeters()).hasSize(series);
    }

    private double count(String topic, Reason reason) {
        return registry.get("mailtrail.kafka.dlt")
                .tag("topic", topic)
                .tag("reason", reason.tag())
                .counter()
                .count();
    }
}
