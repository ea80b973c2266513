package dev.mailtrail.send.projection;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Privacy settings (application.yml, docs/configuration.md): the salt of the recipient hashes (the ingest's
 * {@code MAILTRAIL_IP_HASH_SALT}, so one secret to keep and rotate), how long an activity is kept after its last fact
 * ({@code MAILTRAIL_RETENTION}) and how often that is swept, and whether per-person tracking needs the recipient's
 * consent ({@code MAILTRAIL_TRACKING_CONSENT}, per tenant {@code MAILTRAIL_TENANT_TRACKING_CONSENT=tenant:required,…}).
 * A wrong value refuses the start.
 */
@ConfigurationProperties("mailtrail.privacy")
public record PrivacyProperties(
        String hashSalt,
        @DefaultValue("400d") Duration retention,
        @DefaultValue("1d") Duration retentionSweepInterval,
        @DefaultValue("not_required") String trackingConsent,
        @DefaultValue("") String tenantTrackingConsent) {

    public PrivacyProperties {
        if (hashSalt == null || hashSalt.isEmpty()) {
            throw new IllegalArgumentException("MAILTRAIL_IP_HASH_SALT must not be empty");
        }
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("MAILTRAIL_RETENTION must be positive, was " + retention);
        }
        Consent.parse(trackingConsent, "MAILTRAIL_TRACKING_CONSENT");
        tenantConsent(tenantTrackingConsent);
    }

    /** Whether tracking a recipient of this tenant needs their consent. */
    public boolean consentRequired(String tenantId) {
        return tenantConsent(tenantTrackingConsent)
                .getOrDefault(tenantId, Consent.parse(trackingConsent, "MAILTRAIL_TRACKING_CONSENT"))
                .equals(Consent.REQUIRED);
    }

    enum Consent {
        NOT_REQUIRED,
        REQUIRED;

        static Consent parse(String value, String setting) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        setting + " must be not_required or required, was '" + value + "'", e);
            }
        }
    }

    private static Map<String, Consent> tenantConsent(String setting) {
        return Arrays.stream(setting.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .map(entry -> {
                    int colon = entry.indexOf(':');
                    if (colon < 1) {
                        throw new IllegalArgumentException(
                                "MAILTRAIL_TENANT_TRACKING_CONSENT entries must be tenant:required or"
                                        + " tenant:not_required, was '" + entry + "'");
                    }
                    return Map.entry(
                            entry.substring(0, colon),
                            Consent.parse(entry.substring(colon + 1), "MAILTRAIL_TENANT_TRACKING_CONSENT"));
                })
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b));
    }
}
