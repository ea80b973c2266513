package dev.mailtrail.ingest.proxy;

import inet.ipaddr.IPAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Who the client is: the TCP peer, unless the peer is a trusted proxy ({@code MAILTRAIL_TRUSTED_PROXIES}); then
 * the right-most address of the forwarding chain outside every trusted network, read from the nearest hop
 * outwards. Forwarding headers from any other peer are ignored, so a client cannot choose the address it is
 * hashed, classified and rate-limited by.
 */
public final class TrustedProxies {

    static final String VARIABLE = "MAILTRAIL_TRUSTED_PROXIES";

    private final List<IPAddress> networks;

    private TrustedProxies(List<IPAddress> networks) {
        this.networks = List.copyOf(networks);
    }

    /** The networks as configured; an entry that is not an address or CIDR stops start-up, naming the variable. */
    public static TrustedProxies of(List<String> entries) {
        List<IPAddress> networks = new ArrayList<>();
        for (String entry : entries == null ? List.<String>of() : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            IPAddress network = IpBlocks.network(entry);
            if (network == null) {
                throw new IllegalStateException(VARIABLE + ": '" + entry.trim()
                        + "' is not an IP address or CIDR (e.g. 10.0.0.0/8, 2001:db8::/32)");
            }
            networks.add(network);
        }
        return new TrustedProxies(networks);
    }

    /** The client's address, canonical ({@code 192.0.2.1}, {@code 2001:db8::1}), or null when the peer is unknown. */
    public String client(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        IPAddress peer = remote == null || remote.getAddress() == null
                ? null
                : ForwardedFor.address(remote.getAddress().getHostAddress());
        if (peer == null) {
            return null;
        }
        return client(peer, networks.isEmpty() ? List.of() : ForwardedFor.chain(request.getHeaders()))
                .toCanonicalString();
    }

    /**
     * The standard selection over {@code chain} (left to right as in the header, null for a hop that is not an
     * address): an untrusted peer is the client; otherwise each hop from the right is the client if it is not
     * trusted; an unreadable hop ends the walk at the peer (the header cannot be believed past it); when every hop
     * is trusted, the left-most is the client.
     */
    IPAddress client(IPAddress peer, List<IPAddress> chain) {
        if (!trusted(peer)) {
            return peer;
        }
        IPAddress client = peer;
        for (int i = chain.size() - 1; i >= 0; i--) {
            IPAddress hop = chain.get(i);
            if (hop == null) {
                return peer;
            }
            client = hop;
            if (!trusted(hop)) {
                return hop;
            }
        }
        return client;
    }

    private boolean trusted(IPAddress address) {
        for (IPAddress network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
