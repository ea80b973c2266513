package dev.mailtrail.ingest.client;

import dev.mailtrail.ingest.IngestProperties;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/** Clients' IPs are kept only as a salted HMAC, enough to tell "same client" without storing who. */
@Component
public class IpHasher {

    private final SecretKeySpec key;

    @Autowired
    public IpHasher(IngestProperties properties) {
        this(properties.ipHashSalt());
    }

    public IpHasher(String salt) {
        if (salt == null || salt.isBlank()) {
            throw new IllegalStateException("MAILTRAIL_IP_HASH_SALT must not be empty");
        }
        this.key = new SecretKeySpec(salt.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String hash(String ip) {
        if (ip == null || ip.isBlank()) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] digest = mac.doFinal(ip.trim().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
