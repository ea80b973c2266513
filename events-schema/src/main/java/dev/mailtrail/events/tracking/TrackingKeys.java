package dev.mailtrail.events.tracking;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code MAILTRAIL_TRACKING_KEYS}: {@code kid:base64key,...}. The first key signs new tokens; every key
 * verifies, so keys rotate without breaking links already sent.
 */
public final class TrackingKeys {

    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
    static final int MIN_KEY_BYTES = 16;

    private final String signingKid;
    private final Map<String, byte[]> keys;

    private TrackingKeys(String signingKid, Map<String, byte[]> keys) {
        this.signingKid = signingKid;
        this.keys = keys;
    }

    public static TrackingKeys parse(String configured) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        String first = null;
        for (String entry : (configured == null ? "" : configured).split(",")) {
            String spec = entry.trim();
            if (spec.isEmpty()) {
                continue;
            }
            int colon = spec.indexOf(':');
            String kid = colon < 0 ? "" : spec.substring(0, colon);
            if (!KID.matcher(kid).matches()) {
                throw new IllegalArgumentException("MAILTRAIL_TRACKING_KEYS: each entry is kid:base64key with a kid of "
                        + "1-16 letters, digits, '_' or '-'");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(spec.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("MAILTRAIL_TRACKING_KEYS: the key of '" + kid + "' is not base64");
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("MAILTRAIL_TRACKING_KEYS: the key of '" + kid + "' is shorter than "
                        + MIN_KEY_BYTES + " bytes");
            }
            if (keys.putIfAbsent(kid, key) != null) {
                throw new IllegalArgumentException("MAILTRAIL_TRACKING_KEYS: key id '" + kid + "' appears twice");
            }
            first = first == null ? kid : first;
        }
        if (first == null) {
            throw new IllegalArgumentException(
                    "MAILTRAIL_TRACKING_KEYS is empty: configure at least one kid:base64key");
        }
        return new TrackingKeys(first, Map.copyOf(keys));
    }

    String signingKid() {
        return signingKid;
    }

    byte[] key(String kid) {
        return keys.get(kid);
    }
}
