package dev.mailtrail.send.projection;

import dev.mailtrail.send.suppression.ErasedAddresses;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * What is remembered about a recipient, by a salted hash of tenant and normalised address (HMAC-SHA-256, never the
 * address): their tracking consent and whether they were erased. An erased activity's state holds
 * {@link #ERASED_PREFIX} and that hash where the address was, which is how the projection knows to strip its late
 * events.
 */
@Repository
public class RecipientPrivacy implements ErasedAddresses {

    public static final String ERASED_PREFIX = "erased:";

    /** A recipient's stored decision and erasure; {@link #NONE} when nothing is stored. */
    public record Entry(Consent tracking, boolean erased) {
        static final Entry NONE = new Entry(null, false);
    }

    public enum Consent {
        GRANTED,
        DENIED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final DatabaseClient db;
    private final SecretKeySpec salt;

    public RecipientPrivacy(DatabaseClient db, PrivacyProperties properties) {
        this.db = db;
        this.salt = new SecretKeySpec(properties.hashSalt().getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /** The address as compared: trimmed, lower case (what a person would call the same address). */
    public static String normalise(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }

    public String hash(String tenantId, String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(salt);
            // the NUL cannot occur in an id, so no two (tenant, address) pairs give the same input
            return HexFormat.of()
                    .formatHex(mac.doFinal((tenantId + '\0' + normalise(address)).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    @Override
    public String erasedAs(String tenantId, String address) {
        return ERASED_PREFIX + hash(tenantId, address);
    }

    /** The stored entries of these hashes (those with none are absent). */
    public Mono<Map<String, Entry>> entries(Collection<String> hashes) {
        if (hashes.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT address_hash, tracking, erased_at FROM recipient_privacy WHERE address_hash = ANY($1)")
                .bind(0, hashes.toArray(String[]::new))
                .map(row -> Map.entry(
                        row.get("address_hash", String.class),
                        new Entry(
                                row.get("tracking", String.class) == null
                                        ? null
                                        : Consent.valueOf(row.get("tracking", String.class)
                                                .toUpperCase(Locale.ROOT)),
                                row.get("erased_at", java.time.OffsetDateTime.class) != null)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    public Mono<Void> consent(String hash, Consent tracking, Instant now) {
        return db.sql("INSERT INTO recipient_privacy (address_hash, tracking, updated_at) VALUES ($1, $2, $3)"
                        + " ON CONFLICT (address_hash) DO UPDATE SET tracking = EXCLUDED.tracking,"
                        + " updated_at = EXCLUDED.updated_at")
                .bind(0, hash)
                .bind(1, tracking.wire())
                .bind(2, now.atOffset(ZoneOffset.UTC))
                .then();
    }

    /** Remembers the erase (the first time: a repeated erase keeps the first one's time). */
    public Mono<Void> erased(String hash, Instant now) {
        return db.sql(
                        "INSERT INTO recipient_privacy (address_hash, erased_at, updated_at) VALUES ($1, $2, $2)"
                                + " ON CONFLICT (address_hash) DO UPDATE SET erased_at ="
                                + " COALESCE(recipient_privacy.erased_at, EXCLUDED.erased_at), updated_at = EXCLUDED.updated_at")
                .bind(0, hash)
                .bind(1, now.atOffset(ZoneOffset.UTC))
                .then();
    }
}
