package dev.mailtrail.ingest.tracking;

import dev.mailtrail.ingest.client.ClientClassifier;
import dev.mailtrail.ingest.client.ClientHit;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tracking hit's event id: its token, the dedupe window it falls in, and every input of its classification
 * ({@link ClientClassifier}): the client's address (hashed), agent, method and prefetch hints. A client re-fetching
 * the pixel, or a retried publish, is one fact; a prefetch and the person's own open from the same address and
 * browser are two (the first would otherwise hide the second), and so is the same person opening again later.
 */
final class HitIdentity {

    private HitIdentity() {}

    /** {@code kind}: {@code open} or {@code click}, the id's prefix; {@code window}: the dedupe window's number. */
    static String of(String kind, String rawToken, long window, String ipHash, ClientHit hit) {
        MessageDigest digest = sha256();
        field(digest, rawToken);
        field(digest, Long.toString(window));
        field(digest, ipHash);
        field(digest, hit.userAgent());
        field(digest, hit.method());
        // by name, so the order the headers came in does not matter
        Map<String, String> hints = new TreeMap<>(hit.hints());
        field(digest, Integer.toString(hints.size()));
        hints.forEach((name, value) -> {
            field(digest, name);
            field(digest, value);
        });
        return kind + ":"
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(digest.digest())
                        .substring(0, 32);
    }

    /**
     * Length-prefixed, so no two different lists of values digest the same bytes (an agent holding the separator
     * could otherwise pass for an agent and a method); null apart from empty.
     */
    private static void field(MessageDigest digest, String value) {
        byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(Integer.BYTES)
                .putInt(value == null ? -1 : bytes.length)
                .array());
        digest.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
