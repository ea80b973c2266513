package dev.mailtrail.ingest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.ingest.proxy.IpBlocks;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RelayRangesTests {

    @Test
    void theSampleLoadsEveryPrefixIPv4AndIPv6() {
        RelayRanges relay = Classifiers.relaySample();

        // ten lines; Aberdeen's and Oxford's /31s merge, Krakow's /64 lies in Warsaw's /45
        assertThat(relay.size()).isEqualTo(8);
        assertThat(relay.contains(IpBlocks.address("146.75.139.255"))).isTrue();
        assertThat(relay.contains(IpBlocks.address("146.75.140.0"))).isFalse();
        assertThat(relay.contains(IpBlocks.address("2a04:4e41:275f:17ff:ffff::1")))
                .isTrue();
        assertThat(relay.contains(IpBlocks.address("2a04:4e41:275f:1800::1"))).isFalse();
        // an IPv4 client seen through a dual-stack socket is the same client
        assertThat(relay.contains(IpBlocks.address("::ffff:172.224.226.5"))).isTrue();
        assertThat(relay.contains(null)).isFalse();
    }

    @Test
    void blankLinesAndLinesEndingAtThePrefixAreRead() {
        RelayRanges relay = read("\n192.0.2.0/24,ZZ,,,\r\n\r\n2001:db8::/32\n");

        assertThat(relay.size()).isEqualTo(2);
        assertThat(relay.contains(IpBlocks.address("192.0.2.77"))).isTrue();
        assertThat(relay.contains(IpBlocks.address("2001:db8:1::1"))).isTrue();
    }

    @Test
    void aLineThatIsNotAPrefixStopsStartUpNamingTheVariableTheFileAndTheLine() {
        for (String bad : new String[] {
            "<html>",
            "172.224.226.0/33,GB,,,",
            "172.224.*.*,GB,,,",
            "10.1,US,,,",
            "172.224.226.0-172.224.226.9,GB,,,",
            ",GB,GB-EN,London,"
        }) {
            assertThatThrownBy(() -> read("192.0.2.0/24,ZZ,,,\n" + bad + "\n"))
                    .as(bad)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("MAILTRAIL_TRACKING_RELAY_RANGES_FILE: ranges.csv:2: expected");
        }
    }

    @Test
    void aFileWithoutAPrefixIsRefused() {
        assertThatThrownBy(() -> read("\n\n"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("MAILTRAIL_TRACKING_RELAY_RANGES_FILE: ranges.csv holds no prefix");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> RelayRanges.load("target/no-such-ranges.csv"))
                .hasMessageContaining("MAILTRAIL_TRACKING_RELAY_RANGES_FILE: cannot read target/no-such-ranges.csv");
        assertThat(RelayRanges.load(" ").size()).isZero();
    }

    private static RelayRanges read(String csv) {
        return RelayRanges.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "ranges.csv");
    }
}
