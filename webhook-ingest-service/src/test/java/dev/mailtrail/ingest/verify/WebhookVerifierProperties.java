package dev.mailtrail.ingest.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.ingest.SignedWebhook;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Any single-byte change to what was signed, or to the signature, is caught. */
class WebhookVerifierProperties {

    static final String BODY = "{\"type\":\"email.delivered\",\"created_at\":\"2026-11-26T10:00:00.000Z\","
            + "\"data\":{\"email_id\":\"em_1\",\"tags\":{\"activity_id\":\"act-1\"}}}";

    final WebhookVerifier verifier = new WebhookVerifier(List.of(SignedWebhook.DEV_SECRET), Clock.systemUTC());

    enum Part {
        BODY,
        ID,
        TIMESTAMP,
        SIGNATURE
    }

    @Property(tries = 400)
    void anySingleByteChangeIsRejected(
            @ForAll Part part,
            @ForAll @IntRange(min = 0, max = 10_000) int position,
            @ForAll("replacements") byte replacement) {
        SignedWebhook webhook = SignedWebhook.of(BODY);
        String body = webhook.body();
        String id = webhook.svixId();
        String timestamp = Long.toString(webhook.timestamp());
        // mutate the signature's base64 part, not its "v1," version marker
        String signature = webhook.signature();
        switch (part) {
            case BODY -> body = mutate(body, position, replacement, 0);
            case ID -> id = mutate(id, position, replacement, 0);
            case TIMESTAMP -> timestamp = mutate(timestamp, position, replacement, 0);
            case SIGNATURE -> signature = mutate(signature, position, replacement, 3);
        }
        Map<String, List<String>> headers = Map.of(
                "svix-id", List.of(id), "svix-timestamp", List.of(timestamp), "svix-signature", List.of(signature));

        assertThat(verifier.verify(body.getBytes(StandardCharsets.UTF_8), headers))
                .isEmpty();
    }

    @Provide
    Arbitrary<Byte> replacements() {
        return Arbitraries.bytes().between((byte) 0x21, (byte) 0x7e);
    }

    /** Replaces one character (after {@code from}) with a different printable ASCII one. */
    static String mutate(String value, int position, byte replacement, int from) {
        int index = from + Math.floorMod(position, value.length() - from);
        char original = value.charAt(index);
        char changed =
                (char) replacement == original ? (char) (original == '~' ? '!' : original + 1) : (char) replacement;
        return value.substring(0, index) + changed + value.substring(index + 1);
    }
}
