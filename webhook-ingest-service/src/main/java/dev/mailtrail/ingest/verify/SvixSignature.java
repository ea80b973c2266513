package dev.mailtrail.ingest.verify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One secret's Svix signature check, as svix's {@code Webhook.verify} does it (HMAC-SHA256 over
 * {@code id.timestamp.body}, any {@code v1,<base64>} of the space-separated list, a timestamp within ±300 s), but
 * over the raw body bytes and with a Mac kept per thread. Hand-written for the cost per webhook (issue 27): svix's
 * verify takes the body as a String (a copy each way), formats the signed content with {@code String.format},
 * looks up a new Mac for every call and compares base64 strings it allocated; together a large share of the
 * contract's own work. {@code SvixSignatureProperties} checks that both agree on every input svix can take.
 */
final class SvixSignature {

    static final long TOLERANCE_SECONDS = 300;
    private static final String PREFIX = "whsec_";
    private static final String HMAC_SHA256 = "HmacSHA256";

    private final ThreadLocal<Mac> mac;

    private SvixSignature(SecretKeySpec key) {
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance(HMAC_SHA256);
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        });
    }

    /**
     * A configured secret ({@code whsec_<base64>}, the prefix optional, as svix reads it).
     *
     * @throws IllegalArgumentException when it is empty or not base64, naming which, never echoing it
     */
    static SvixSignature of(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not base64");
        }
        if (key.length == 0) {
            throw new IllegalArgumentException("empty");
        }
        return new SvixSignature(new SecretKeySpec(key, HMAC_SHA256));
    }

    /** Whether {@code signatures} holds a {@code v1} signature of this id, timestamp and body, the time in the window. */
    boolean verifies(byte[] body, String id, String timestamp, String signatures, Instant now) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        long nowSeconds = now.getEpochSecond();
        if (seconds < nowSeconds - TOLERANCE_SECONDS || seconds > nowSeconds + TOLERANCE_SECONDS) {
            return false;
        }
        Mac m = mac.get();
        m.update(id.getBytes(StandardCharsets.UTF_8));
        m.update((byte) '.');
        // svix signs the number it parsed, not the header's text ("0123" as "123")
        m.update(Long.toString(seconds).getBytes(StandardCharsets.US_ASCII));
        m.update((byte) '.');
        m.update(body);
        byte[] expected = Base64.getEncoder().encode(m.doFinal());
        for (String passed : signatures.split(" ")) {
            int comma = passed.indexOf(',');
            if (comma < 0 || !passed.startsWith("v1,")) {
                continue;
            }
            int end = passed.indexOf(',', comma + 1);
            String signature = passed.substring(comma + 1, end < 0 ? passed.length() : end);
            if (MessageDigest.isEqual(signature.getBytes(StandardCharsets.UTF_8), expected)) {
                return true;
            }
        }
        return false;
    }
}
