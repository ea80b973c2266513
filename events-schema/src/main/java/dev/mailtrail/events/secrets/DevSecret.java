package dev.mailtrail.events.secrets;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The secrets both services ship with, so that the local stack and the tests run without configuration. They are
 * public (they are in this repository): anyone could mint tracking links, forge webhooks or call the API with them,
 * so a service refuses to start while one is still configured, unless {@value #OVERRIDE}{@code =true} says the
 * machine is a developer's own (the local stack, the tests and the dev Kubernetes overlay set it).
 *
 * <p>The one list of those values; the services' application.yml defaults and the local stack use the same ones.
 */
public enum DevSecret {

    // the key, not the key id, is the secret: "prod:<the dev key>" is still the dev key
    TRACKING_KEYS(
            "MAILTRAIL_TRACKING_KEYS",
            "mailtrail.tracking.keys",
            "dev:w5rnbY4WUvI040/MpnD6Zd74LxoI9OhWyJg7axn2AxY=",
            entry -> entry.substring(entry.indexOf(':') + 1)),
    IP_HASH_SALT("MAILTRAIL_IP_HASH_SALT", "mailtrail.ingest.ip-hash-salt", "dev-salt", UnaryOperator.identity()),
    // "dev-token:tenant-a" still lets anyone in who read the repository
    API_TOKENS("MAILTRAIL_API_TOKENS", "mailtrail.api-tokens", "dev-token", entry -> entry.split(":", 2)[0]),
    // Svix takes a secret with or without its prefix
    RESEND_WEBHOOK_SECRETS(
            "MAILTRAIL_RESEND_WEBHOOK_SECRETS",
            "mailtrail.ingest.webhook-secrets",
            "whsec_bWFpbHRyYWlsLWxvY2FsLWRldi1zZWNyZXQ=",
            entry -> entry.startsWith("whsec_") ? entry.substring("whsec_".length()) : entry),
    RESEND_API_KEY(
            "MAILTRAIL_RESEND_API_KEY", "mailtrail.resend.api-key", "re_dev_mailtrail_local", UnaryOperator.identity());

    /** The variable that lets a service start with these values anyway, and the property it sets. */
    public static final String OVERRIDE = "MAILTRAIL_ALLOW_DEV_SECRETS";

    public static final String OVERRIDE_PROPERTY = "mailtrail.allow-dev-secrets";

    private final String variable;
    private final String property;
    private final String value;
    /** The part of one comma-separated entry that is secret. */
    private final UnaryOperator<String> secretPart;

    DevSecret(String variable, String property, String value, UnaryOperator<String> secretPart) {
        this.variable = variable;
        this.property = property;
        this.value = value;
        this.secretPart = secretPart;
    }

    /** The environment variable that sets it. */
    public String variable() {
        return variable;
    }

    /** The property a service's application.yml feeds from {@link #variable()}, defaulting to {@link #value()}. */
    public String property() {
        return property;
    }

    /** The shipped development value. */
    public String value() {
        return value;
    }

    /** Whether a configured value still carries the development secret, alone or as one entry of a list. */
    public boolean heldBy(String configured) {
        if (configured == null) {
            return false;
        }
        String dev = secretPart.apply(value);
        return Arrays.stream(configured.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .anyMatch(entry -> dev.equals(secretPart.apply(entry)));
    }

    /**
     * Why a service must not start, or empty when it may: every secret whose property, looked up with {@code lookup},
     * still carries the development value, unless {@value #OVERRIDE_PROPERTY} looks up as true. A service checks the
     * secrets it has: one its configuration does not define looks up as null. The message names the variables, never
     * a value.
     */
    public static Optional<String> refusal(UnaryOperator<String> lookup) {
        String allowed = lookup.apply(OVERRIDE_PROPERTY);
        if (allowed != null && Boolean.parseBoolean(allowed.trim())) {
            return Optional.empty();
        }
        String offending = Arrays.stream(values())
                .filter(secret -> secret.heldBy(lookup.apply(secret.property)))
                .map(DevSecret::variable)
                .collect(Collectors.joining(", "));
        if (offending.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("Refusing to start: " + offending + " still hold(s) the development value shipped in the "
                + "mailtrail repository, which anyone can read. Set a secret of your own in each, or " + OVERRIDE
                + "=true on a developer machine (the local stack and the tests set it).");
    }
}
