package dev.mailtrail.ingest.tracking;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/** Known machine networks (Apple's prefetch, mail security gateways), each with the reason it is a machine. */
public final class Networks {

    private record Range(IPAddress network, String reason) {
    }

    private final List<Range> ranges;

    private Networks(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Lines of {@code <cidr> <reason>}; {@code #} starts a comment. A bad line fails start-up, naming it. */
    public static Networks read(InputStream in, String source) {
        List<Range> ranges = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                String content = line.replaceFirst("#.*", "").trim();
                if (content.isEmpty()) {
                    continue;
                }
                String[] parts = content.split("\\s+");
                IPAddress network = new IPAddressString(parts[0]).getAddress();
                if (parts.length != 2 || network == null) {
                    throw new IllegalArgumentException(source + ":" + number + ": expected '<cidr> <reason>'");
                }
                ranges.add(new Range(network.toPrefixBlock(), parts[1]));
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot read " + source, e);
        }
        return new Networks(ranges);
    }

    public Optional<String> reasonFor(String ip) {
        if (ip == null) {
            return Optional.empty();
        }
        IPAddress address = new IPAddressString(ip).getAddress();
        if (address == null) {
            return Optional.empty();
        }
        return ranges.stream().filter(r -> r.network().contains(address)).map(Range::reason).findFirst();
    }
}
