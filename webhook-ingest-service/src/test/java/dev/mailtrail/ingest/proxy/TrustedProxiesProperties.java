package dev.mailtrail.ingest.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import inet.ipaddr.ipv4.IPv4Address;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

/**
 * The client is the right-most address a trusted proxy vouches for, whatever a client writes to the left of it,
 * in either header, over IPv4 and IPv6; nobody else's headers are read at all.
 */
class TrustedProxiesProperties {

    /** The proxies: a private IPv4 network and an IPv6 unique-local one. */
    static final TrustedProxies PROXIES = TrustedProxies.of(List.of("10.0.0.0/8", "fd00::/8"));

    enum Header {
        X_FORWARDED_FOR,
        FORWARDED
    }

    @Property(tries = 500)
    void throughAnyNumberOfTrustedProxiesTheClientIsTheOneTheyVouchFor(
            @ForAll("untrusted") IPAddress client,
            @ForAll("trustedHops") List<IPAddress> proxies,
            @ForAll("whatever") List<String> spoofed,
            @ForAll Header header,
            @ForAll boolean ports) {
        // the client writes anything it likes; each proxy appends the address it received the request from
        List<String> chain = new ArrayList<>(spoofed);
        chain.add(spell(client, header, ports));
        proxies.subList(0, proxies.size() - 1).forEach(proxy -> chain.add(spell(proxy, header, ports)));
        IPAddress peer = proxies.get(proxies.size() - 1);

        assertThat(PROXIES.client(request(peer, header, chain))).isEqualTo(client.toCanonicalString());
    }

    @Property(tries = 300)
    void anUntrustedPeersForwardingHeadersAreIgnored(
            @ForAll("untrusted") IPAddress peer, @ForAll("whatever") List<String> spoofed, @ForAll Header header) {
        assertThat(PROXIES.client(request(peer, header, spoofed))).isEqualTo(peer.toCanonicalString());
    }

    @Property(tries = 300)
    void withNoTrustedProxiesEvenALocalPeersHeadersAreIgnored(
            @ForAll("trustedHops") List<IPAddress> peers,
            @ForAll("whatever") List<String> spoofed,
            @ForAll Header header) {
        IPAddress peer = peers.get(0);

        assertThat(TrustedProxies.of(List.of()).client(request(peer, header, spoofed)))
                .isEqualTo(peer.toCanonicalString());
    }

    @Property(tries = 300)
    void aHopThatIsNotAnAddressEndsTheWalkAtThePeer(
            @ForAll("trustedHops") List<IPAddress> proxies,
            @ForAll("garbage") String garbage,
            @ForAll("untrusted") IPAddress client,
            @ForAll Header header) {
        List<String> chain = new ArrayList<>(List.of(spell(client, header, false), garbage));
        proxies.subList(0, proxies.size() - 1).forEach(proxy -> chain.add(spell(proxy, header, false)));
        IPAddress peer = proxies.get(proxies.size() - 1);

        assertThat(PROXIES.client(request(peer, header, chain))).isEqualTo(peer.toCanonicalString());
    }

    @Property(tries = 200)
    void whenEveryHopIsTrustedTheLeftMostIsTheClient(
            @ForAll("trustedHops") List<IPAddress> hops,
            @ForAll("trustedHops") List<IPAddress> peers,
            @ForAll Header header) {
        List<String> chain = hops.stream().map(hop -> spell(hop, header, false)).toList();

        assertThat(PROXIES.client(request(peers.get(0), header, chain)))
                .isEqualTo(hops.get(0).toCanonicalString());
    }

    static MockServerHttpRequest request(IPAddress peer, Header header, List<String> chain) {
        MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/t/o/x.gif")
                .remoteAddress(new InetSocketAddress(peer.toInetAddress(), 50_000));
        if (!chain.isEmpty()) {
            // as proxies write them: one header line, or one line per hop
            if (header == Header.X_FORWARDED_FOR) {
                request.header(ForwardedFor.X_FORWARDED_FOR, String.join(", ", chain));
            } else {
                request.header(ForwardedFor.FORWARDED, chain.toArray(String[]::new));
            }
        }
        return request.build();
    }

    /** How a proxy writes a hop: X-Forwarded-For plain, Forwarded as {@code for=} (IPv6 quoted in brackets). */
    static String spell(IPAddress address, Header header, boolean port) {
        String plain = address.toCanonicalString();
        String bracketed = address.isIPv6() ? "[" + plain + "]" : plain;
        String hop = port ? bracketed + ":" + 40_000 : (header == Header.FORWARDED ? bracketed : plain);
        if (header == Header.X_FORWARDED_FOR) {
            return hop;
        }
        return "for=" + (address.isIPv6() || port ? "\"" + hop + "\"" : hop) + ";proto=https";
    }

    @Provide
    Arbitrary<IPAddress> untrusted() {
        Arbitrary<IPAddress> v4 = Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(4)
                .filter(b -> b[0] != 10)
                .map(IPv4Address::new);
        // global unicast 2000::/3: never unique-local, never IPv4-mapped
        Arbitrary<IPAddress> v6 = Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(16)
                .map(b -> {
                    b[0] = (byte) (0x20 | (b[0] & 0x1f));
                    return new IPv6Address(b);
                });
        return Arbitraries.oneOf(v4, v6);
    }

    @Provide
    Arbitrary<List<IPAddress>> trustedHops() {
        Arbitrary<IPAddress> v4 = Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(4)
                .map(b -> {
                    b[0] = 10;
                    return new IPv4Address(b);
                });
        Arbitrary<IPAddress> v6 = Arbitraries.bytes()
                .array(byte[].class)
                .ofSize(16)
                .map(b -> {
                    b[0] = (byte) 0xfd;
                    return new IPv6Address(b);
                });
        return Arbitraries.oneOf(v4, v6).list().ofMinSize(1).ofMaxSize(4);
    }

    /** What a client may put in front: addresses of any kind, trusted ones too, and junk. */
    @Provide
    Arbitrary<List<String>> whatever() {
        Arbitrary<String> address = Combinators.combine(
                        untrusted(), Arbitraries.of(Header.values()), Arbitraries.of(true, false))
                .as(TrustedProxiesProperties::spell);
        Arbitrary<String> trusted = trustedHops().map(hops -> hops.get(0).toCanonicalString());
        return Arbitraries.oneOf(address, trusted, garbage()).list().ofMaxSize(5);
    }

    @Provide
    Arbitrary<String> garbage() {
        return Arbitraries.oneOf(
                Arbitraries.of(
                        "unknown",
                        "for=unknown",
                        "for=_hidden",
                        "_hidden",
                        "example.com",
                        "10.0.0.0/8",
                        "1.2.3.*",
                        "999.1.1.1",
                        "for=\"[::1\"",
                        "1",
                        "0x7f.1",
                        "for=",
                        "[fd00::1]:x"),
                Arbitraries.strings()
                        .withCharRange('!', '~')
                        .ofMinLength(1)
                        .ofMaxLength(12)
                        .filter(s -> !s.contains(",") && ForwardedFor.address(s) == null && !s.startsWith("for=")));
    }
}
