package dev.mailtrail.send.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * {@code MAILTRAIL_API_TOKENS}: comma-separated; {@code token} acts for every tenant, {@code token:tenant} for
 * that tenant only. Compared in constant time.
 */
public final class ApiTokens {

    private record Entry(byte[] token, String tenant) {}

    private final List<Entry> entries;

    public ApiTokens(String configured) {
        this.entries = Arrays.stream(configured == null ? new String[0] : configured.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(ApiTokens::entry)
                .toList();
        if (entries.isEmpty()) {
            throw new IllegalStateException("MAILTRAIL_API_TOKENS is empty: configure at least one token");
        }
    }

    private static Entry entry(String spec) {
        int colon = spec.indexOf(':');
        String token = colon < 0 ? spec : spec.substring(0, colon);
        String tenant = colon < 0 ? null : spec.substring(colon + 1);
        if (token.isEmpty() || (tenant != null && tenant.isEmpty())) {
            throw new IllegalStateException("MAILTRAIL_API_TOKENS has an entry without token or tenant");
        }
        return new Entry(token.getBytes(StandardCharsets.UTF_8), tenant);
    }

    public Optional<ApiCaller> authenticate(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        byte[] candidate = presented.getBytes(StandardCharsets.UTF_8);
        ApiCaller match = null;
        for (Entry entry : entries) {
            // check every entry, so the time taken does not tell which one matched
            if (MessageDigest.isEqual(entry.token(), candidate) && match == null) {
                match = new ApiCaller(entry.tenant());
            }
        }
        return Optional.ofNullable(match);
    }
}
