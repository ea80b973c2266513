package dev.mailtrail.events.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The start-up refusal: which configured values still carry a shipped development secret, and what it says. */
class DevSecretTests {

    /** Both services' properties, every secret a real one. */
    private static Map<String, String> realConfiguration() {
        Map<String, String> configured = new HashMap<>();
        configured.put("mailtrail.tracking.keys", "k1:3q2+7w8J2zH4y4o1vPp0Qb6bQ1xk9m1zH2a4b6c8d0E=");
        configured.put("mailtrail.ingest.ip-hash-salt", "9f8c0f6e3b2a4d1c");
        configured.put("mailtrail.api-tokens", "crm-7c1d2e,ta-91ab:tenant-a");
        configured.put("mailtrail.ingest.webhook-secrets", "whsec_cmVhbGx5LWEtc2VjcmV0LW9mLW91ci1vd24=");
        configured.put("mailtrail.resend.api-key", "re_live_5Fq2");
        return configured;
    }

    private static Optional<String> refusal(Map<String, String> configured) {
        return DevSecret.refusal(configured::get);
    }

    @Test
    void realValuesEverywherePass() {
        assertThat(refusal(realConfiguration())).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DevSecret.class)
    void eachDevValueAloneIsRefusedAndNamedWithoutItsValue(DevSecret secret) {
        Map<String, String> configured = realConfiguration();
        configured.put(secret.property(), secret.value());

        assertThat(refusal(configured)).hasValueSatisfying(message -> {
            assertThat(message)
                    .startsWith("Refusing to start: " + secret.variable() + " still hold")
                    .contains(DevSecret.OVERRIDE + "=true")
                    .doesNotContain(secret.value());
            for (DevSecret other : DevSecret.values()) {
                if (other != secret) {
                    assertThat(message).doesNotContain(other.variable());
                }
            }
        });
    }

    @Test
    void severalDevValuesAreNamedTogetherInOneMessage() {
        Map<String, String> configured = realConfiguration();
        configured.put("mailtrail.api-tokens", DevSecret.API_TOKENS.value());
        configured.put("mailtrail.tracking.keys", DevSecret.TRACKING_KEYS.value());
        configured.put("mailtrail.resend.api-key", DevSecret.RESEND_API_KEY.value());

        assertThat(refusal(configured))
                .hasValueSatisfying(
                        message -> assertThat(message)
                                .startsWith(
                                        "Refusing to start: MAILTRAIL_TRACKING_KEYS, MAILTRAIL_API_TOKENS, MAILTRAIL_RESEND_API_KEY still"));
    }

    @Test
    void theOverrideLetsDevValuesThroughAndOnlyTrueCounts() {
        Map<String, String> configured = new HashMap<>();
        for (DevSecret secret : DevSecret.values()) {
            configured.put(secret.property(), secret.value());
        }
        configured.put(DevSecret.OVERRIDE_PROPERTY, " TRUE ");
        assertThat(refusal(configured)).isEmpty();

        for (String notTrue : new String[] {"false", "yes", "1", ""}) {
            configured.put(DevSecret.OVERRIDE_PROPERTY, notTrue);
            assertThat(refusal(configured)).as(notTrue).isPresent();
        }
    }

    @Test
    void aSecretAServiceDoesNotHaveIsNotChecked() {
        // the send-service has no salt and no webhook secrets: they look up as null there
        Map<String, String> sendService = Map.of(
                "mailtrail.api-tokens",
                "crm-7c1d2e",
                "mailtrail.resend.api-key",
                "re_live_5Fq2",
                "mailtrail.tracking.keys",
                "k1:3q2+7w8J2zH4y4o1vPp0Qb6b");
        assertThat(refusal(sendService)).isEmpty();
        assertThat(refusal(Map.of())).isEmpty();
    }

    @Test
    void unsetValuesAreNotDevValues() {
        for (DevSecret secret : DevSecret.values()) {
            assertThat(secret.heldBy(null)).isFalse();
            assertThat(secret.heldBy(" , ")).isFalse();
        }
    }

    @Test
    void theSecretPartCountsNotItsDecoration() {
        assertThat(DevSecret.TRACKING_KEYS.heldBy("prod:w5rnbY4WUvI040/MpnD6Zd74LxoI9OhWyJg7axn2AxY="))
                .isTrue();
        assertThat(DevSecret.TRACKING_KEYS.heldBy("dev:3q2+7w8J2zH4y4o1vPp0Qb6bQ1xk9m1zH2a4b6c8d0E="))
                .isFalse();
        assertThat(DevSecret.API_TOKENS.heldBy("crm-7c1d2e, dev-token:tenant-a"))
                .isTrue();
        assertThat(DevSecret.API_TOKENS.heldBy("crm-7c1d2e:dev-token")).isFalse();
        assertThat(DevSecret.RESEND_WEBHOOK_SECRETS.heldBy("bWFpbHRyYWlsLWxvY2FsLWRldi1zZWNyZXQ="))
                .isTrue();
        assertThat(DevSecret.IP_HASH_SALT.heldBy("dev-salt-but-longer")).isFalse();
    }
}
