package dev.mailtrail.ingest.webhook;

import dev.mailtrail.ingest.normalize.ResendEventNormalizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Webhook meters. Tags are fixed sets: a type outside Resend's known ones is counted as {@code other}. */
@Component
public class WebhookMetrics {

    /** Outcomes of {@code mailtrail.webhook.received}. */
    public enum Outcome {
        ACCEPTED,
        DUPLICATE,
        INVALID_SIGNATURE,
        MALFORMED,
        TOO_LARGE,
        UNSUPPORTED_MEDIA_TYPE,
        UNRECOGNIZED_TYPE,
        PUBLISH_FAILED;

        String tag() {
            return name().toLowerCase();
        }
    }

    private static final Set<String> KNOWN_NON_EMAIL_PREFIXES = Set.of("contact.", "domain.", "suppression.");

    private final MeterRegistry registry;
    private final Timer verification;
    private final DistributionSummary bodySize;
    private final Timer publishAcknowledged;
    private final Timer publishFailed;
    private final Map<String, Map<Outcome, Counter>> received = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.verification = Timer.builder("mailtrail.webhook.verification")
                .description("Time to check a webhook's Svix signature against every configured secret")
                .register(registry);
        this.bodySize = DistributionSummary.builder("mailtrail.webhook.body.size")
                .baseUnit("bytes")
                .description("Size of webhook bodies read")
                .register(registry);
        this.publishAcknowledged = publishTimer("acknowledged");
        this.publishFailed = publishTimer("failed");
    }

    public void received(String resendType, Outcome outcome) {
        // looked up once per tag pair: building a meter id per request was a measurable share of a webhook's CPU
        String type = typeTag(resendType);
        received.computeIfAbsent(type, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        outcome,
                        o -> Counter.builder("mailtrail.webhook.received")
                                .description("Webhooks received, by Resend type and outcome")
                                .tag("type", type)
                                .tag("outcome", o.tag())
                                .register(registry))
                .increment();
    }

    public void verification(Duration took) {
        verification.record(took);
    }

    public void bodySize(int bytes) {
        bodySize.record(bytes);
    }

    public void published(Duration took, boolean acknowledged) {
        (acknowledged ? publishAcknowledged : publishFailed).record(took);
    }

    private Timer publishTimer(String outcome) {
        return Timer.builder("mailtrail.webhook.publish")
                .description("Time from publish to the broker's acknowledgement (or the bound)")
                .tag("outcome", outcome)
                .register(registry);
    }

    static String typeTag(String resendType) {
        if (resendType == null) {
            return "none";
        }
        if (ResendEventNormalizer.TYPES.containsKey(resendType)) {
            return resendType;
        }
        if (KNOWN_NON_EMAIL_PREFIXES.stream().anyMatch(resendType::startsWith)) {
            return resendType.substring(0, resendType.indexOf('.') + 1) + "*";
        }
        return "other";
    }
}
