package dev.mailtrail.ingest.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class TrustedProxiesTests {

    static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/8", " 2001:db8:ffff::/48 ", ""));

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                // RFC 7239's own examples, nearest hop last
                "for=192.0.2.60;proto=http;by=203.0.113.43|192.0.2.60",
                "for=\"_gazonk\", for=10.1.1.1|10.0.0.1",
                "For=\"[2001:db8:cafe::17]:4711\"|2001:db8:cafe::17",
                "for=192.0.2.43, for=198.51.100.17;by=203.0.113.60;proto=http;host=example.com|198.51.100.17",
                "for=unknown|10.0.0.1",
                "for=\"192.0.2.1:8080\", for=\"[2001:db8:ffff::1]\"|192.0.2.1",
                // no address holds a comma: a quoted one splits its value into two unreadable halves
                "for=\"1.1.1.1, for=10.2.2.2\"|10.0.0.1",
                // a quote the client leaves open does not swallow what the proxy appends
                "for=\"_x, for=203.0.113.9|203.0.113.9"
            })
    void readsTheForwardedHeader(String forwarded, String client) {
        assertThat(PROXIES.client(
                        request("10.0.0.1").header("Forwarded", forwarded).build()))
                .isEqualTo(client);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "203.0.113.9|203.0.113.9",
                "198.51.100.1, 203.0.113.9, 10.9.9.9|203.0.113.9",
                "203.0.113.9:51234|203.0.113.9",
                "[2001:db8::7]:443|2001:db8::7",
                "2001:DB8:0:0:0:0:0:7|2001:db8::7",
                "::ffff:203.0.113.9|203.0.113.9",
                "203.0.113.9, not-an-address|10.0.0.1",
                "203.0.113.9,, 10.1.2.3|203.0.113.9",
                "\"198.51.100.1, 203.0.113.9|203.0.113.9"
            })
    void readsXForwardedForRightToLeft(String forwardedFor, String client) {
        assertThat(PROXIES.client(request("10.0.0.1")
                        .header("X-Forwarded-For", forwardedFor)
                        .build()))
                .isEqualTo(client);
    }

    @Test
    void xForwardedForWinsOverForwardedAndLinesAreReadInOrder() {
        MockServerHttpRequest request = request("10.0.0.1")
                .header("Forwarded", "for=192.0.2.1")
                .header("X-Forwarded-For", "198.51.100.1", "203.0.113.9, 10.3.3.3")
                .build();

        assertThat(PROXIES.client(request)).isEqualTo("203.0.113.9");
    }

    @Test
    void aTrustedIpv6PeerAndAnIpv4MappedPeerAreTrustedAsTheirNetworks() {
        assertThat(PROXIES.client(request("2001:db8:ffff::5")
                        .header("X-Forwarded-For", "198.51.100.1")
                        .build()))
                .isEqualTo("198.51.100.1");
        assertThat(PROXIES.client(request("::ffff:10.0.0.1")
                        .header("X-Forwarded-For", "198.51.100.1")
                        .build()))
                .isEqualTo("198.51.100.1");
        assertThat(PROXIES.client(request("2001:db8:fffe::5")
                        .header("X-Forwarded-For", "198.51.100.1")
                        .build()))
                .isEqualTo("2001:db8:fffe::5");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "nope", "10.0.0.0/8;", "1.2.3.*", "*", "10.0.0.0-10.0.0.9", "0x0a.1"})
    void aSettingThatIsNotANetworkStopsStartUpNamingTheVariable(String entry) {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/8", entry)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("MAILTRAIL_TRUSTED_PROXIES: '" + entry + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"native", "framework", "NATIVE"})
    void springsOwnForwardingSupportIsRefusedByName(String strategy) {
        MockEnvironment environment = new MockEnvironment().withProperty(ProxyConfiguration.SPRING_STRATEGY, strategy);

        assertThatThrownBy(() -> new ProxyConfiguration().trustedProxies(new ProxyProperties(List.of()), environment))
                .hasMessageContaining("SERVER_FORWARD_HEADERS_STRATEGY=" + strategy)
                .hasMessageContaining("MAILTRAIL_TRUSTED_PROXIES");
        assertThat(new ProxyConfiguration()
                        .trustedProxies(
                                new ProxyProperties(null),
                                new MockEnvironment().withProperty(ProxyConfiguration.SPRING_STRATEGY, "none")))
                .isNotNull();
    }

    @Test
    void noPeerNoClient() {
        assertThat(PROXIES.client(MockServerHttpRequest.get("/t/o/x.gif")
                        .header("X-Forwarded-For", "1.2.3.4")
                        .build()))
                .isNull();
    }

    static MockServerHttpRequest.BaseBuilder<?> request(String peer) {
        return MockServerHttpRequest.get("/t/o/x.gif")
                .remoteAddress(new InetSocketAddress(ForwardedFor.address(peer).toInetAddress(), 50_000));
    }
}
