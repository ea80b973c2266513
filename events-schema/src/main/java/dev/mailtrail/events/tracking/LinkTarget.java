package dev.mailtrail.events.tracking;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What a browser makes of a link's href, so that our redirect sends a person exactly where the href itself would
 * have: a click token carries the href exactly as the sender wrote it (HTML-decoded), and the redirect's
 * {@code Location} is the one value a browser parses to the same URL.
 * <p>
 * Browsers parse both with the WHATWG URL parser. Its first steps drop what surrounds and splits an href
 * ({@link #followed}); after that it percent-encodes, as UTF-8, every C0 control, space and code point above
 * {@code ~} wherever they stand in a path, query, fragment or user info, and it percent-decodes a host before IDNA.
 * So writing those code points as {@code %XX} ourselves changes nothing a browser sees, while everything else is
 * left as written: reserved characters, {@code {}|^"<>}, an existing {@code %XX} and a stray {@code %} alike, which
 * the browser then treats exactly as it would have treated the href.
 */
public final class LinkTarget {

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private LinkTarget() {}

    /**
     * The href as the URL parser reads it: leading and trailing C0 controls and spaces stripped, every tab, CR and
     * LF removed (a link written across lines still works in every browser).
     */
    public static String followed(String href) {
        int start = 0;
        int end = href.length();
        while (start < end && href.charAt(start) <= ' ') {
            start++;
        }
        while (end > start && href.charAt(end - 1) <= ' ') {
            end--;
        }
        StringBuilder out = new StringBuilder(end - start);
        for (int i = start; i < end; i++) {
            char c = href.charAt(i);
            if (c != '\t' && c != '\n' && c != '\r') {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether the href leads to an absolute http or https URL: the only links we wrap and redirect to. */
    public static boolean isWeb(String href) {
        String lower = followed(href).toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /**
     * The {@code Location} value for the href: printable ASCII only (a header cannot carry controls, and browsers
     * disagree on how to read other bytes), each other code point as its UTF-8 {@code %XX}; an unpaired surrogate
     * is read as U+FFFD, as a browser reads it.
     */
    public static String location(String href) {
        String followed = followed(href);
        StringBuilder out = new StringBuilder(followed.length() + 16);
        for (int i = 0; i < followed.length(); ) {
            int codePoint = followed.codePointAt(i);
            i += Character.charCount(codePoint);
            if (codePoint > ' ' && codePoint < 0x7F) {
                out.append((char) codePoint);
                continue;
            }
            if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                codePoint = 0xFFFD;
            }
            for (byte b : Character.toString(codePoint).getBytes(StandardCharsets.UTF_8)) {
                out.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return out.toString();
    }
}
