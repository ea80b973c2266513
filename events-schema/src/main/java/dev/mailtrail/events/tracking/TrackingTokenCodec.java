package dev.mailtrail.events.tracking;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The tracking-token format, shared by the service that writes links and the one that follows them.
 * One URL-safe base64 segment (no padding) of:
 * <pre>
 * version(1) | kidLength(1) | kid | kind(1) | linkIndex(2) | activityId | tenantId | url | mac(16)
 * </pre>
 * Version 2, minted only for a message to one of several recipients, has {@code recipient(2)} after {@code url};
 * version 1 (no recipient) is still minted for every other email, so their tokens stay what they were.
 * strings as length(2) + UTF-8. The MAC is HMAC-SHA256 over everything before it, truncated to 128 bits and
 * compared in constant time. No nonce and no clock: the same binding always gives the same token, so a retried
 * send carries byte-identical HTML, and links never expire while their key is configured.
 */
public final class TrackingTokenCodec {

    static final byte VERSION = 1;
    static final byte VERSION_WITH_RECIPIENT = 2;
    static final int MAC_BYTES = 16;
    private static final int NO_LINK = 0xFFFF;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** A token is a path segment: what is longer is not ours (nothing longer was ever minted). */
    public static final int MAX_TOKEN_CHARS = 4096;
    /**
     * The longest tracking URL (base URL, path and token) a sender mints, well under every server's and client's
     * limit: the edge's server (Netty) reads request lines up to 4 KB, the strictest browser (Internet Explorer) took
     * 2,083 characters. A link whose tracking URL would be longer is sent as written, untracked.
     */
    public static final int MAX_URL_CHARS = 2048;

    private final TrackingKeys keys;

    public TrackingTokenCodec(TrackingKeys keys) {
        this.keys = keys;
    }

    public String encode(TrackingToken token) {
        String kid = keys.signingKid();
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        byte[] kidBytes = kid.getBytes(StandardCharsets.US_ASCII);
        out.write(token.recipient() == null ? VERSION : VERSION_WITH_RECIPIENT);
        out.write(kidBytes.length);
        out.writeBytes(kidBytes);
        out.write(token.kind().ordinal());
        writeShort(out, token.linkIndex() == null ? NO_LINK : token.linkIndex());
        writeString(out, token.activityId());
        writeString(out, token.tenantId());
        writeString(out, token.url());
        if (token.recipient() != null) {
            writeShort(out, token.recipient());
        }
        byte[] signed = out.toByteArray();
        out.writeBytes(mac(keys.key(kid), signed));
        return ENCODER.encodeToString(out.toByteArray());
    }

    /** Empty for anything that is not a token we signed with a configured key: never an exception. */
    public Optional<TrackingToken> decode(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(DECODER.decode(token));
            byte version = in.remaining() < 2 + MAC_BYTES ? 0 : in.get();
            if (version != VERSION && version != VERSION_WITH_RECIPIENT) {
                return Optional.empty();
            }
            byte[] kid = new byte[Byte.toUnsignedInt(in.get())];
            in.get(kid);
            byte[] key = keys.key(new String(kid, StandardCharsets.US_ASCII));
            int signedLength = in.limit() - MAC_BYTES;
            if (key == null || signedLength < in.position()) {
                return Optional.empty();
            }
            byte[] all = in.array();
            byte[] expected = mac(key, Arrays.copyOfRange(all, 0, signedLength));
            if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(all, signedLength, all.length))) {
                return Optional.empty();
            }
            in.limit(signedLength);
            TrackingToken.Kind kind = TrackingToken.Kind.values()[in.get()];
            int linkIndex = Short.toUnsignedInt(in.getShort());
            String activityId = readString(in);
            String tenantId = readString(in);
            String url = readString(in);
            Integer recipient = version == VERSION_WITH_RECIPIENT ? Short.toUnsignedInt(in.getShort()) : null;
            if (in.hasRemaining() || activityId == null) {
                return Optional.empty();
            }
            return Optional.of(new TrackingToken(
                    kind, activityId, tenantId, linkIndex == NO_LINK ? null : linkIndex, url, recipient));
        } catch (RuntimeException e) {
            // malformed base64, truncated fields, bad enum ordinals, inconsistent bindings: all just "not a token"
            return Optional.empty();
        }
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("value out of range: " + value);
        }
        out.write(value >>> 8);
        out.write(value);
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        if (value == null) {
            writeShort(out, NO_LINK);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= NO_LINK) {
            throw new IllegalArgumentException("value too long for a tracking token");
        }
        writeShort(out, bytes.length);
        out.writeBytes(bytes);
    }

    private static String readString(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        if (length == NO_LINK) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] mac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal(data), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
