package dev.mailtrail.ingest.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.svix.Webhook;
import com.svix.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The hand-written check agrees with svix's own {@code Webhook.verify} on every input svix can take: bodies of any
 * (valid UTF-8) text, ids, timestamps in and out of the window (not within a second of its edges, where the two
 * clocks could read different seconds), signature lists with correct, altered, other-version and malformed entries.
 */
class SvixSignatureProperties {

    record Case(byte[] key, String body, String id, long offset, String signatures) {}

    @Property(tries = 1000)
    void agreesWithSvix(@ForAll("cases") Case c) throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(c.key());
        Instant now = Instant.now();
        String timestamp = Long.toString(now.getEpochSecond() + c.offset());

        boolean ours = SvixSignature.of(secret)
                .verifies(c.body().getBytes(StandardCharsets.UTF_8), c.id(), timestamp, c.signatures(), now);

        assertThat(ours).isEqualTo(svix(secret, c.body(), c.id(), timestamp, c.signatures()));
    }

    @Property(tries = 200)
    void aCorrectSignatureVerifiesAnywhereInTheList(@ForAll("cases") Case c) throws Exception {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(c.key());
        long now = Instant.now().getEpochSecond();
        String signed = new Webhook(secret).sign(c.id(), now, c.body());

        assertThat(SvixSignature.of(secret)
                        .verifies(
                                c.body().getBytes(StandardCharsets.UTF_8),
                                c.id(),
                                Long.toString(now),
                                c.signatures() + " " + signed,
                                Instant.ofEpochSecond(now)))
                .isTrue();
    }

    private static boolean svix(String secret, String body, String id, String timestamp, String signatures)
            throws Exception {
        try {
            new Webhook(secret)
                    .verify(
                            body,
                            Map.of(
                                    "svix-id",
                                    List.of(id),
                                    "svix-timestamp",
                                    List.of(timestamp),
                                    "svix-signature",
                                    List.of(signatures)));
            return true;
        } catch (WebhookVerificationException e) {
            return false;
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<byte[]> keys =
                Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(40);
        Arbitrary<String> bodies = Arbitraries.strings().ofMaxLength(300);
        Arbitrary<String> ids = Arbitraries.strings().ascii().ofMinLength(1).ofMaxLength(40);
        Arbitrary<Long> offsets = Arbitraries.oneOf(
                Arbitraries.longs().between(-298, 298),
                Arbitraries.longs().between(-5_000, -302),
                Arbitraries.longs().between(302, 5_000));
        return Combinators.combine(
                        keys, bodies, ids, offsets, Arbitraries.integers().between(0, 5))
                .flatAs((key, body, id, offset, kind) -> signatures(key, body, id, offset, kind)
                        .map(signatures -> new Case(key, body, id, offset, signatures)));
    }

    /** A signature list of one kind: correct, correct among others, altered, another version, malformed, random. */
    private static Arbitrary<String> signatures(byte[] key, String body, String id, long offset, int kind) {
        String secret = "whsec_" + Base64.getEncoder().encodeToString(key);
        long at = Instant.now().getEpochSecond() + offset;
        String correct;
        try {
            correct = new Webhook(secret).sign(id, at, body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        String base64 = correct.substring(3);
        return switch (kind) {
            case 0 -> Arbitraries.just(correct);
            case 1 -> Arbitraries.just("v1,bm90IGl0 " + correct + " v2," + base64);
            case 2 ->
                Arbitraries.integers()
                        .between(0, base64.length() - 1)
                        .map(i -> "v1," + base64.substring(0, i) + (base64.charAt(i) == 'A' ? 'B' : 'A')
                                + base64.substring(i + 1));
            case 3 -> Arbitraries.of("v2,", "v1", "v1 ", ",", "").map(prefix -> prefix + base64);
            case 4 -> Arbitraries.just(correct + ",extra");
            default -> Arbitraries.strings().ofMaxLength(60);
        };
    }
}
