package dev.mailtrail.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The knobs that can also be turned at runtime through {@code /_simulator/settings}; the properties under
 * {@code mailtrail.simulator} give their start (and reset) values. Immutable: {@link LiveSettings} swaps whole values.
 *
 * @param rateLimit       API requests per second, 0 = unlimited
 * @param quotaExceeded   which quota error sends answer with, {@link QuotaState#NONE} = none
 * @param processingDelay extra time each send takes (keeps an idempotent request observably in flight)
 * @param retryScale      factor on Svix's retry delays (tests use e.g. 0.001)
 * @param duplicateRate   probability that a delivered webhook is delivered once more with the same svix-id
 * @param reorderRate     probability that an email's events are shuffled before their first attempts
 * @param extraDelayMin   lower bound of a random extra delay before each event's first attempt
 * @param extraDelayMax   upper bound of that delay
 * @param unverifiedDomains sender domains (of {@code from}) refused as Resend refuses a domain nobody verified; stored
 *                        trimmed and lower-case
 * @param lossRate        probability that every automatic delivery attempt of an event fails without reaching the
 *                        webhook URL (a replay requested through the API is delivered normally)
 */
@ConfigurationProperties("mailtrail.simulator")
public record SimulatorSettings(
        @DefaultValue("0") int rateLimit,
        @DefaultValue("none") QuotaState quotaExceeded,
        @DefaultValue("0ms") Duration processingDelay,
        @DefaultValue("1.0") double retryScale,
        @DefaultValue("0") double duplicateRate,
        @DefaultValue("0") double reorderRate,
        @DefaultValue("0ms") Duration extraDelayMin,
        @DefaultValue("0ms") Duration extraDelayMax,
        @DefaultValue List<String> unverifiedDomains,
        @DefaultValue("0") double lossRate) {

    /** More would be a typo in a test, not a scenario; the control API is unauthenticated. */
    static final int MAX_UNVERIFIED_DOMAINS = 1000;

    public SimulatorSettings {
        require(rateLimit >= 0, "rate-limit must be 0 (off) or positive");
        require(quotaExceeded != null, "quota-exceeded must be none, daily or monthly");
        require(isNonNegative(processingDelay), "processing-delay must not be negative");
        require(retryScale >= 0, "retry-scale must not be negative");
        require(isProbability(duplicateRate), "duplicate-rate must be between 0 and 1");
        require(isProbability(reorderRate), "reorder-rate must be between 0 and 1");
        require(isProbability(lossRate), "loss-rate must be between 0 and 1");
        require(
                isNonNegative(extraDelayMin)
                        && isNonNegative(extraDelayMax)
                        && extraDelayMin.compareTo(extraDelayMax) <= 0,
                "extra-delay-min must be between 0 and extra-delay-max");
        require(
                unverifiedDomains != null
                        && unverifiedDomains.size() <= MAX_UNVERIFIED_DOMAINS
                        && unverifiedDomains.stream().allMatch(SimulatorSettings::isDomain),
                "unverified-domains must be at most " + MAX_UNVERIFIED_DOMAINS + " domains such as example.com");
        unverifiedDomains = unverifiedDomains.stream()
                .map(d -> d.trim().toLowerCase(Locale.ROOT))
                .distinct()
                .toList();
    }

    /** Whether Resend would refuse to send from this domain (any case). */
    public boolean unverified(String domain) {
        return unverifiedDomains.contains(domain.toLowerCase(Locale.ROOT));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("mailtrail.simulator." + message);
        }
    }

    private static boolean isNonNegative(Duration duration) {
        return duration != null && !duration.isNegative();
    }

    private static boolean isDomain(String value) {
        String domain = value == null ? "" : value.trim();
        return !domain.isEmpty() && domain.indexOf('@') < 0 && domain.chars().noneMatch(Character::isWhitespace);
    }

    private static boolean isProbability(double value) {
        return value >= 0 && value <= 1;
    }
}
