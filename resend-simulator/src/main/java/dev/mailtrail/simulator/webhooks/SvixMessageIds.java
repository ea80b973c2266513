package dev.mailtrail.simulator.webhooks;

import java.security.SecureRandom;

/** Svix message ids: {@code msg_} plus 27 alphanumerics. */
public final class SvixMessageIds {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private SvixMessageIds() {}

    public static String next() {
        StringBuilder id = new StringBuilder("msg_");
        for (int i = 0; i < 27; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.toString();
    }
}
