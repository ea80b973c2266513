package dev.mailtrail.ingest.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * Marks the instance's own warm-up requests over loopback HTTP: a random value made at start-up, known only inside
 * this process (never logged, never configured), compared in constant time. The webhook route answers a request
 * carrying it after the same work as any other, except the publish, and counts it nowhere.
 */
@Component
public class WarmupPass {

    public static final String HEADER = "mailtrail-warmup";

    private final byte[] value;

    public WarmupPass() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.value = Base64.getUrlEncoder().withoutPadding().encode(random);
    }

    /** The header's value for the warm-up's requests. */
    public String value() {
        return new String(value, StandardCharsets.US_ASCII);
    }

    public boolean presentIn(HttpHeaders headers) {
        String passed = headers.getFirst(HEADER);
        return passed != null && MessageDigest.isEqual(passed.getBytes(StandardCharsets.UTF_8), value);
    }
}
