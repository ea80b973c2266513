package dev.mailtrail.simulator;

/** Email address helpers for the two forms Resend accepts: {@code addr@host} and {@code Name <addr@host>}. */
public final class Addresses {

    private Addresses() {}

    /** The bare address of {@code Name <addr>} or {@code addr}, trimmed. */
    public static String bare(String address) {
        String value = address.trim();
        int open = value.lastIndexOf('<');
        int close = value.lastIndexOf('>');
        if (open >= 0 && close > open) {
            return value.substring(open + 1, close).trim();
        }
        return value;
    }

    /** The part after the {@code @} of the bare address, as given (Resend compares domains case-insensitively). */
    public static String domain(String address) {
        String bare = bare(address);
        return bare.substring(bare.lastIndexOf('@') + 1);
    }

    /** A loose plausibility check, enough to reject obvious garbage the way Resend would. */
    public static boolean isPlausible(String address) {
        if (address == null || address.isBlank()) {
            return false;
        }
        String bare = bare(address);
        int at = bare.indexOf('@');
        return at > 0
                && at == bare.lastIndexOf('@')
                && at < bare.length() - 1
                && bare.chars().noneMatch(Character::isWhitespace);
    }
}
