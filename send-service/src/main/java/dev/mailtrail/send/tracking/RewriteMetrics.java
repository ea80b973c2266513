package dev.mailtrail.send.tracking;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code mailtrail.tracking.rewrite{outcome,reason}}, every series registered at construction: bodies rewritten or
 * failed ({@code reason=none}), and links left as written ({@code outcome=skipped}), by {@link LinkRules.Skip}.
 */
class RewriteMetrics {

    private final Counter rewritten;
    private final Counter failed;
    private final Map<LinkRules.Skip, Counter> skipped = new EnumMap<>(LinkRules.Skip.class);

    RewriteMetrics(MeterRegistry registry) {
        rewritten = counter(registry, "rewritten", "none");
        failed = counter(registry, "failed", "none");
        for (LinkRules.Skip reason : LinkRules.Skip.values()) {
            skipped.put(reason, counter(registry, "skipped", reason.tag()));
        }
    }

    void rewritten() {
        rewritten.increment();
    }

    void failed() {
        failed.increment();
    }

    void skipped(LinkRules.Skip reason) {
        skipped.get(reason).increment();
    }

    private static Counter counter(MeterRegistry registry, String outcome, String reason) {
        return Counter.builder("mailtrail.tracking.rewrite")
                .description("HTML bodies given our open pixel and wrapped links at acceptance (rewritten, failed), "
                        + "and links left as the sender wrote them (skipped, by reason)")
                .tag("outcome", outcome)
                .tag("reason", reason)
                .register(registry);
    }
}
