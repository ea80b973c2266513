package dev.mailtrail.send.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * {@code mailtrail.reconcile.missing} and {@code .active} (gauges), {@code .replayed}, {@code .refused} and
 * {@code .drift{last_event}} (counters).
 */
@Component
class ReconcileMetrics {

    /** Resend's {@code last_event} values; anything else is counted as {@code other} (a fixed tag set). */
    static final List<String> LAST_EVENTS = List.of(
            "bounced",
            "canceled",
            "clicked",
            "complained",
            "delivered",
            "delivery_delayed",
            "failed",
            "opened",
            "queued",
            "scheduled",
            "suppressed",
            "other");

    private final AtomicLong missing = new AtomicLong();
    private final AtomicLong active = new AtomicLong();
    private final Counter replayed;
    private final Counter refused;
    private final Map<String, Counter> drift;

    ReconcileMetrics(MeterRegistry registry) {
        Gauge.builder("mailtrail.reconcile.missing", missing, AtomicLong::get)
                .description("Webhook events Resend has not delivered to us past the grace period, as of the last pass")
                .register(registry);
        Gauge.builder("mailtrail.reconcile.active", active, AtomicLong::get)
                .description("1 when the reconciler knows its webhook and runs, 0 when it is off")
                .register(registry);
        replayed = Counter.builder("mailtrail.reconcile.replayed")
                .description("Webhook events the reconciler asked Resend to replay")
                .register(registry);
        refused = Counter.builder("mailtrail.reconcile.refused")
                .description("Webhook events our ingest refused (4xx) on every attempt: not replayed, not missing")
                .register(registry);
        drift = LAST_EVENTS.stream()
                .collect(Collectors.toMap(
                        Function.identity(),
                        lastEvent -> Counter.builder("mailtrail.reconcile.drift")
                                .description(
                                        "Sampled activities stuck in SENT whose email Resend reports further along")
                                .tag("last_event", lastEvent)
                                .register(registry)));
    }

    void missing(long events) {
        missing.set(events);
    }

    void active(boolean on) {
        active.set(on ? 1 : 0);
    }

    void replayed() {
        replayed.increment();
    }

    void refused() {
        refused.increment();
    }

    void drift(String lastEvent) {
        String tag = lastEvent == null ? "other" : lastEvent.toLowerCase(Locale.ROOT);
        drift.getOrDefault(tag, drift.get("other")).increment();
    }
}
