package dev.mailtrail.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.ingest.webhook.WebhookMetrics.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class WebhookMetricsTests {

    final MeterRegistry registry = new SimpleMeterRegistry();
    final WebhookMetrics metrics = new WebhookMetrics(registry);

    @Test
    void everyTypeAndOutcomeExistsAtZeroFromConstruction() {
        assertThat(registry.find("mailtrail.webhook.received").counters())
                .hasSize(WebhookMetrics.typeTags().size() * Outcome.values().length)
                .allSatisfy(counter -> assertThat(counter.count()).isZero());
        assertThat(WebhookMetrics.typeTags())
                .contains(
                        "email.delivered", "email.received", "contact.*", "domain.*", "suppression.*", "other", "none");
        assertThat(registry.find("mailtrail.webhook.publish").timers()).hasSize(2);
    }

    @Test
    void aTypeIsCountedUnderItsFixedTagAndNothingNewIsRegistered() {
        int series = registry.getMeters().size();

        metrics.received("email.delivered", Outcome.ACCEPTED);
        metrics.received("contact.created", Outcome.UNRECOGNIZED_TYPE);
        metrics.received("made.up\u0000type", Outcome.UNRECOGNIZED_TYPE);
        metrics.received(null, Outcome.TOO_LARGE);

        assertThat(received("email.delivered", Outcome.ACCEPTED).count()).isEqualTo(1);
        assertThat(received("contact.*", Outcome.UNRECOGNIZED_TYPE).count()).isEqualTo(1);
        assertThat(received("other", Outcome.UNRECOGNIZED_TYPE).count()).isEqualTo(1);
        assertThat(received("none", Outcome.TOO_LARGE).count()).isEqualTo(1);
        assertThat(registry.getMeters()).hasSize(series);
    }

    private Counter received(String type, Outcome outcome) {
        return registry.get("mailtrail.webhook.received")
                .tag("type", type)
                .tag("outcome", outcome.tag())
                .counter();
    }
}
