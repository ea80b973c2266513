package dev.mailtrail.events;

/**
 * The contract's rules for free text that crosses an edge (a caller's request, a provider's webhook, a recipient's
 * client): how long each kind may be, and which characters never pass. PostgreSQL refuses U+0000 in text and jsonb,
 * and jsonb refuses an unpaired surrogate, so one such character in a record would fail every retry of its batch;
 * the other C0 controls have no place in a header-like field either. Callers are told (see {@link #firstForbidden});
 * what a provider or a mail client sends is cleaned instead ({@link #sanitize}), since refusing it would only make
 * the provider retry the same bytes.
 */
public final class WireText {

    /** RFC 5322's line limit, which a subject header must fit. */
    public static final int SUBJECT_MAX = 998;
    /** RFC 3696 (with its erratum): 64 for the local part, 1 for the @, 255 for the domain. */
    public static final int ADDRESS_MAX = 320;
    /** Resend's limit for a tag's name and value. */
    public static final int TAG_MAX = 256;
    /** Longer links are not wrapped and not stored; browsers and proxies cut around here too. */
    public static final int URL_MAX = 8 * 1024;

    public static final int USER_AGENT_MAX = 512;
    /** A provider's short label, such as a bounce's type and subtype ({@code Permanent}, {@code Suppressed}). */
    public static final int LABEL_MAX = 256;
    /** A bounce's or a failure's explanation. */
    public static final int MESSAGE_MAX = 1_000;
    /** An id a provider gives (Svix message id, Resend email id): theirs are 30-40 characters. */
    public static final int PROVIDER_ID_MAX = 128;
    /** An RFC 5322 Message-ID (its header must fit a line); real ones are well under 100 characters. */
    public static final int MESSAGE_ID_MAX = 998;

    /** What takes the place of a character that never passes. */
    public static final char REPLACEMENT = '\uFFFD';

    private WireText() {}

    /**
     * The index of the first character that never passes — a C0 control (U+0000 to U+001F) or an unpaired surrogate
     * — or -1. {@code lineBreaks}: tab, CR and LF pass (an email's text or HTML body).
     */
    public static int firstForbidden(String value, boolean lineBreaks) {
        if (value == null) {
            return -1;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20) {
                if (!(lineBreaks && (c == '\t' || c == '\r' || c == '\n'))) {
                    return i;
                }
            } else if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * The value with every character {@link #firstForbidden} refuses (line breaks included) replaced by
     * {@link #REPLACEMENT}, cut to at most {@code maxChars} chars without splitting a surrogate pair. The same
     * value when it is already clean and short enough; null stays null.
     */
    public static String sanitize(String value, int maxChars) {
        if (value == null || (value.length() <= maxChars && firstForbidden(value, false) < 0)) {
            return value;
        }
        int end = Math.min(value.length(), maxChars);
        if (end > 0
                && end < value.length()
                && Character.isHighSurrogate(value.charAt(end - 1))
                && Character.isLowSurrogate(value.charAt(end))) {
            end--;
        }
        StringBuilder clean = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(value.charAt(i + 1))) {
                clean.append(c).append(value.charAt(++i));
            } else if (c < 0x20 || Character.isSurrogate(c)) {
                clean.append(REPLACEMENT);
            } else {
                clean.append(c);
            }
        }
        return clean.toString();
    }
}
