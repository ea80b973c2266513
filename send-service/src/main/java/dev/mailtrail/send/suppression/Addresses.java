package dev.mailtrail.send.suppression;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * Addresses in Resend's two forms, {@code addr@example.com} and {@code Name <addr@example.com>}, and the normalised
 * form the suppression list keys them by.
 */
public final class Addresses {

    private Addresses() {}

    /** The bare address, when {@code value} is one address in one of the two forms. */
    public static Optional<String> bare(String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String trimmed = value.trim();
        try {
            InternetAddress address = new InternetAddress(trimmed, true);
            address.validate();
            String bare = address.getAddress();
            // InternetAddress also takes text after the angle brackets, and domains without a dot
            boolean form = trimmed.indexOf('<') < 0 || trimmed.endsWith(">");
            String domain = bare.substring(bare.lastIndexOf('@') + 1);
            return form && domain.contains(".") ? Optional.of(bare) : Optional.empty();
        } catch (AddressException e) {
            return Optional.empty();
        }
    }

    /** The suppression list's form: the bare address when it is one (else the value), trimmed, lower-cased. */
    public static String normalised(String value) {
        return bare(value).orElse(value).trim().toLowerCase(Locale.ROOT);
    }
}
