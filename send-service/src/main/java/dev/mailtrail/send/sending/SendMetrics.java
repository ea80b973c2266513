package dev.mailtrail.send.sending;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/** {@code mailtrail.send.requests{outcome}} and the {@code mailtrail.send.pending} gauge. */
@Component
class SendMetrics {

    enum Outcome {
        SENT,
        RATE_LIMITED,
        RETRIED,
        TIMEOUT,
        QUOTA_EXCEEDED,
        FAILED,
        REVIEW,
        SPLIT
    }

    private final Map<Outcome, Counter> requests = new EnumMap<>(Outcome.class);
    private final AtomicLong pending = new AtomicLong();

    SendMetrics(MeterRegistry registry) {
        for (Outcome outcome : Outcome.values()) {
            requests.put(
                    outcome,
                    Counter.builder("mailtrail.send.requests")
                            .description(
                                    "Attempts to send an email through Resend, by outcome (a batch counts each email)")
                            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        Gauge.builder("mailtrail.send.pending", pending, AtomicLong::get)
                .description("Accepted emails not yet sent, failed or flagged for review, as of the last look")
                .register(registry);
    }

    void count(Outcome outcome, int emails) {
        requests.get(outcome).increment(emails);
    }

    void pending(long requests) {
        pending.set(requests);
    }
}
