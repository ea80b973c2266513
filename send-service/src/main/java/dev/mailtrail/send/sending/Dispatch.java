package dev.mailtrail.send.sending;

import dev.mailtrail.events.OpenTracking;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One call to Resend as claimed for an attempt: its key, its members in order, and what earlier attempts left behind
 * ({@code wasInDoubt}: one of them may have sent).
 */
record Dispatch(
        String key, boolean batch, int attempts, Instant firstAttemptAt, boolean wasInDoubt, List<Member> members) {

    /** Resend's limit on an Idempotency-Key. */
    static final int MAX_KEY_LENGTH = 256;

    private static final String PREFIX = "send/";

    /**
     * A request of the call, with the email stored for it at acceptance. {@code recipientIndex}: 0 for an email's only
     * message; {@link #recipient()} names it when the email went out as one message per recipient.
     */
    record Member(
            String activityId,
            String tenantId,
            int recipientIndex,
            boolean perRecipient,
            OpenTracking openTracking,
            String email) {

        /** The index of its recipient, null for an email's only message. */
        Integer recipient() {
            return perRecipient ? recipientIndex : null;
        }
    }

    /**
     * The key of a call with one email, never used for anything else: {@code send/<tenantId>/<activityId>}, with
     * {@code /<index>} for one recipient's message, or where that would pass Resend's 256 characters,
     * {@code send/sha256/} and the SHA-256 of the part after {@code send/} in hex.
     */
    static String singleKey(String tenantId, String activityId, Integer recipient) {
        String scoped = tenantId + "/" + activityId + (recipient == null ? "" : "/" + recipient);
        if (PREFIX.length() + scoped.length() <= MAX_KEY_LENGTH) {
            return PREFIX + scoped;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(scoped.getBytes(StandardCharsets.UTF_8));
            return PREFIX + "sha256/" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static String singleKey(String tenantId, String activityId) {
        return singleKey(tenantId, activityId, null);
    }

    static String singleKey(Member member) {
        return singleKey(member.tenantId(), member.activityId(), member.recipient());
    }

    /** How logs name the call: a batch by its key, a single email's call without its ids (personal data). */
    String logName() {
        return batch ? key : "a single-email call";
    }

    /** Exactly the bytes of every attempt: the stored email, or the stored emails as an array in member order. */
    String body() {
        return batch
                ? members.stream().map(Member::email).collect(Collectors.joining(",", "[", "]"))
                : members.get(0).email();
    }

    /** Whether an attempt may have sent and Resend may have forgotten the key by now: another try could send twice. */
    boolean outsideKeyWindow(Instant now, Duration keyWindow) {
        return wasInDoubt && !now.isBefore(firstAttemptAt.plus(keyWindow));
    }
}
