package dev.mailtrail.ingest.webhook;

import dev.mailtrail.ingest.normalize.ResendEventNormalizer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Webhook meters, every series registered at construction. The {@code type} tag is a fixed set: Resend's email
 * types, the known non-email families ({@code contact.*}, ...), {@code other} for any type outside them and
 * {@code none} for a webhook refused before its type was read.
 */
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
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Outcomes of {@code mailtrail.webhook.publish}. */
    enum Publish {
        ACKNOWLEDGED,
        FAILED
    }

    private static final List<String> KNOWN_NON_EMAIL_PREFIXES = List.of("contact.", "domain.", "suppression.");
    private static final String NONE = "none";
    private static final String OTHER = "other";

    private final Timer verification;
    private final DistributionSummary bodySize;
    private final Map<Publish, Timer> publish = new EnumMap<>(Publish.class);
    private final Map<String, Map<Outcome, Counter>> received;

    public WebhookMetrics(MeterRegistry registry) {
        this.verification = Timer.builder("mailtrail.webhook.verification")
                .description("Time to check a webhook's Svix signature against every configured secret")
                .register(registry);
        this.bodySize = DistributionSummary.builder("mailtrail.webhook.body.size")
                .baseUnit("bytes")
                .description("Size of webhook bodies read")
                .register(registry);
        for (Publish outcome : Publish.values()) {
            publish.put(
                    outcome,
                    Timer.builder("mailtrail.webhook.publish")
                            .description("Time from publish to the broker's acknowledgement (or the bound)")
                            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        this.received = typeTags().stream().collect(Collectors.toUnmodifiableMap(Function.identity(), type -> {
            Map<Outcome, Counter> byOutcome = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(
                        outcome,
                        Counter.builder("mailtrail.webhook.received")
                                .description("Webhooks received, by Resend type and outcome")
                                .tag("type", type)
                                .tag("outcome", outcome.tag())
                                .register(registry));
            }
            return byOutcome;
        }));
    }

    public void received(String resendType, Outcome outcome) {
        received.get(typeTag(resendType)).get(outcome).increment();
    }

    public void verification(Duration took) {
        verification.record(took);
    }

    public void bodySize(int bytes) {
        bodySize.record(bytes);
    }

    public void published(Duration took, boolean acknowledged) {
        publish.get(acknowledged ? Publish.ACKNOWLEDGED : Publish.FAILED).record(took);
    }

    /** Every value of the {@code type} tag. */
    static Set<String> typeTags() {
        Set<String> tags = new LinkedHashSet<>(ResendEventNormalizer.TYPES.keySet());
        tags.add("email.received");
        KNOWN_NON_EMAIL_PREFIXES.forEach(prefix -> tags.add(prefix + "*"));
        tags.add(OTHER);
        tags.add(NONE);
        return tags;
    }

    static String typeTag(String resendType) {
        if (resendType == null) {
            return NONE;
        }
        if (ResendEventNormalizer.TYPES.containsKey(resendType)) {
            return resendType;
        }
        return KNOWN_NON_EMAIL_PREFIXES.stream()
                .filter(resendType::startsWith)
                .findFirst()
                .map(prefix -> prefix + "*")
                .orElse(OTHER);
    }
}
