package dev.mailtrail.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.ingest.proxy.IpBlocks;
import inet.ipaddr.IPAddress;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Merging neighbouring prefixes changes no answer: an address is relay egress exactly when a line of the file
 * holds it, whatever the lines' order, overlaps and duplicates. Prefixes and probes share a small space, so they
 * nest, touch and overlap often.
 */
class RelayRangesProperties {

    @Property(tries = 300)
    void anAddressIsRelayEgressExactlyWhenALineHoldsIt(
            @ForAll("prefixes") List<IPAddress> lines, @ForAll("probes") List<IPAddress> probes) {
        String csv = lines.stream()
                .map(p -> p.toPrefixLengthString() + ",GB,GB-EN,London,")
                .collect(Collectors.joining("\n"));
        RelayRanges relay = RelayRanges.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "p.csv");

        for (IPAddress probe : probes) {
            assertThat(relay.contains(probe))
                    .as(probe + " in " + lines)
                    .isEqualTo(lines.stream().anyMatch(line -> line.contains(probe)));
        }
        assertThat(relay.size()).isLessThanOrEqualTo(lines.size());
    }

    @Provide
    Arbitrary<List<IPAddress>> prefixes() {
        // 198.18.0.0/22 and 2001:db8::/52 (the third group's top nibble): a few thousand addresses each
        Arbitrary<IPAddress> v4 = Combinators.combine(
                        Arbitraries.integers().between(0, 1023),
                        Arbitraries.integers().between(22, 32))
                .as((offset, length) ->
                        IpBlocks.network("198.18." + (offset >> 8) + "." + (offset & 255) + "/" + length));
        Arbitrary<IPAddress> v6 = Combinators.combine(
                        Arbitraries.integers().between(0, 0xfff),
                        Arbitraries.integers().between(52, 64))
                .as((group, length) -> IpBlocks.network("2001:db8:0:" + Integer.toHexString(group) + "::/" + length));
        return Arbitraries.oneOf(v4, v6).list().ofMinSize(1).ofMaxSize(40);
    }

    @Provide
    Arbitrary<List<IPAddress>> probes() {
        Arbitrary<IPAddress> v4 = Arbitraries.integers()
                .between(0, 1023)
                .map(offset -> IpBlocks.address("198.18." + (offset >> 8) + "." + (offset & 255)));
        Arbitrary<IPAddress> v6 = Combinators.combine(
                        Arbitraries.integers().between(0, 0xfff),
                        Arbitraries.integers().between(0, 0xffff))
                .as((group, host) -> IpBlocks.address(
                        "2001:db8:0:" + Integer.toHexString(group) + "::" + Integer.toHexString(host)));
        return Arbitraries.oneOf(v4, v6).list().ofMinSize(1).ofMaxSize(40);
    }
}
