package dev.mailtrail.ingest.client;

import dev.mailtrail.ingest.proxy.IpBlocks;
import inet.ipaddr.IPAddress;
import inet.ipaddr.format.util.DualIPv4v6AssociativeTries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Known machine networks (Apple's prefetch, mail security gateways), each with the reason it is a machine, in the
 * ipaddress library's prefix tries: a lookup walks one trie, however many networks there are.
 */
public final class Networks {

    private static final String SHIPPED = "/tracking/networks.txt";

    private final DualIPv4v6AssociativeTries<String> reasons;

    private Networks(DualIPv4v6AssociativeTries<String> reasons) {
        this.reasons = reasons;
    }

    /** The networks in {@code file}, or the shipped snapshot when none is configured. */
    public static Networks load(String file) {
        if (file == null || file.isBlank()) {
            return read(Networks.class.getResourceAsStream(SHIPPED), SHIPPED);
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return read(in, file);
        } catch (IOException e) {
            throw new UncheckedIOException("MAILTRAIL_TRACKING_NETWORKS_FILE: cannot read " + file, e);
        }
    }

    /**
     * Lines of {@code <cidr> <reason>}; {@code #} starts a comment. A bad line fails start-up, naming it. Where
     * networks nest, the most specific one's reason is the answer.
     */
    public static Networks read(InputStream in, String source) {
        DualIPv4v6AssociativeTries<String> reasons = new DualIPv4v6AssociativeTries<>();
        NumberedLines.read(in, source, (number, line) -> {
            String content = line.replaceFirst("#.*", "").trim();
            if (content.isEmpty()) {
                return;
            }
            String[] parts = content.split("\\s+");
            IPAddress network = IpBlocks.network(parts[0]);
            if (parts.length != 2 || network == null) {
                throw new IllegalArgumentException(source + ":" + number + ": expected '<cidr> <reason>'");
            }
            reasons.put(network, parts[1]);
        });
        return new Networks(reasons);
    }

    /** The reason of the most specific network holding {@code address} (null: none). */
    public Optional<String> reasonFor(IPAddress address) {
        if (address == null) {
            return Optional.empty();
        }
        var match = reasons.longestPrefixMatchNode(address);
        return match == null ? Optional.empty() : Optional.of(match.getValue());
    }
}
