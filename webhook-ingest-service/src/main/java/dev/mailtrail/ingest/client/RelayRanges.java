package dev.mailtrail.ingest.client;

import dev.mailtrail.ingest.proxy.IpBlocks;
import inet.ipaddr.IPAddress;
import inet.ipaddr.format.util.DualIPv4v6Tries;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apple's iCloud Private Relay egress prefixes, from the {@code egress-ip-ranges.csv} Apple publishes
 * ({@code prefix,country,region,city,} lines, IPv4 and IPv6), in the ipaddress library's prefix tries. Only the
 * prefix is kept: whether an address is relay egress is all the classifier asks, so neighbouring prefixes (one
 * city's next to another's) are merged into the fewest blocks holding the same addresses, fewer trie nodes.
 * About 0.6 KB of heap per block (docs/configuration.md has the figure for Apple's whole file).
 */
public final class RelayRanges {

    private static final Logger log = LoggerFactory.getLogger(RelayRanges.class);

    public static final String VARIABLE = "MAILTRAIL_TRACKING_RELAY_RANGES_FILE";

    private static final RelayRanges NONE = new RelayRanges(new DualIPv4v6Tries());

    private final DualIPv4v6Tries prefixes;

    private RelayRanges(DualIPv4v6Tries prefixes) {
        this.prefixes = prefixes;
    }

    /** No ranges configured: no address is relay egress. */
    public static RelayRanges none() {
        return NONE;
    }

    /** Apple's relay egress ranges when a file is configured; none otherwise (nothing is shipped: ~12 MB). */
    public static RelayRanges load(String file) {
        if (file == null || file.isBlank()) {
            return none();
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            RelayRanges ranges = read(in, file);
            log.info("{}: {} relay egress prefixes loaded", VARIABLE, ranges.size());
            return ranges;
        } catch (IOException e) {
            throw new UncheckedIOException(VARIABLE + ": cannot read " + file, e);
        }
    }

    /**
     * Every line, or none: a line whose first field is not a prefix, or a file without one, stops start-up naming
     * the variable, the file and the line. A truncated or failed download (an HTML error page saved as the CSV)
     * must not quietly count relayed pixel loads as people; a refused roll-out keeps the running pods.
     */
    public static RelayRanges read(InputStream in, String source) {
        List<IPAddress> v4 = new ArrayList<>();
        List<IPAddress> v6 = new ArrayList<>();
        NumberedLines.read(in, VARIABLE + ": " + source, (number, line) -> {
            if (line.isBlank()) {
                return;
            }
            // the prefix is the first field; the others (country, region, city) never hold what we read
            int comma = line.indexOf(',');
            IPAddress prefix = IpBlocks.network(comma < 0 ? line : line.substring(0, comma));
            if (prefix == null) {
                throw new IllegalStateException(VARIABLE + ": " + source + ":" + number
                        + ": expected 'prefix,country,region,city,' (e.g. 172.224.226.0/27,GB,GB-EN,London,)");
            }
            (prefix.isIPv4() ? v4 : v6).add(prefix);
        });
        if (v4.isEmpty() && v6.isEmpty()) {
            throw new IllegalStateException(VARIABLE + ": " + source + " holds no prefix");
        }
        DualIPv4v6Tries prefixes = new DualIPv4v6Tries();
        merged(v4).forEach(prefixes::add);
        merged(v6).forEach(prefixes::add);
        return new RelayRanges(prefixes);
    }

    /** The fewest prefix blocks covering the same addresses (one IP version). */
    private static List<IPAddress> merged(List<IPAddress> blocks) {
        return blocks.isEmpty()
                ? List.of()
                : List.of(blocks.get(0).mergeToPrefixBlocks(blocks.toArray(IPAddress[]::new)));
    }

    public boolean contains(IPAddress address) {
        return address != null && prefixes.elementContains(address);
    }

    /** The blocks held, once merged. */
    public int size() {
        return prefixes.size();
    }
}
