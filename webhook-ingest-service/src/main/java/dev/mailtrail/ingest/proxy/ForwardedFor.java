package dev.mailtrail.ingest.proxy;

import inet.ipaddr.AddressStringParameters.RangeParameters;
import inet.ipaddr.HostName;
import inet.ipaddr.HostNameParameters;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;

/**
 * The addresses a request says it was forwarded for, client first, the nearest proxy's client last:
 * {@code X-Forwarded-For} when present (what ingress-nginx, cloud load balancers and most proxies write), else
 * the {@code for=} of RFC 7239 {@code Forwarded}. A hop that is not one plain address ({@code unknown}, an
 * obfuscated {@code _id}, a host name, a range, garbage) is null: nothing to its left can be believed.
 */
final class ForwardedFor {

    static final String X_FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED = "Forwarded";

    /** One address, optionally with a port ({@code 192.0.2.1:80}, {@code [2001:db8::1]:4711}); nothing wider. */
    private static final HostNameParameters ADDRESS = new HostNameParameters.Builder()
            .allowEmpty(false)
            .allowPort(true)
            .allowService(false)
            .allowBracketedIPv4(false)
            .getAddressOptionsBuilder()
            .allowEmpty(false)
            .allowAll(false)
            .allowPrefix(false)
            .allowMask(false)
            .allowSingleSegment(false)
            .setRangeOptions(RangeParameters.NO_RANGE)
            .getIPv4AddressParametersBuilder()
            .allow_inet_aton(false)
            .getParentBuilder()
            .getParentBuilder()
            .toParams();

    private ForwardedFor() {}

    static List<IPAddress> chain(HttpHeaders headers) {
        boolean forwardedFor = headers.containsHeader(X_FORWARDED_FOR);
        List<IPAddress> chain = new ArrayList<>();
        for (String line : headers.getOrEmpty(forwardedFor ? X_FORWARDED_FOR : FORWARDED)) {
            for (String hop : hops(line)) {
                chain.add(address(forwardedFor ? hop : forParameter(hop)));
            }
        }
        return chain;
    }

    /**
     * A line's comma-separated hops, blank ones skipped. Split at every comma, quoted or not: no address holds
     * one, and a quote a client opens must not swallow the hops the proxies append after it.
     */
    private static List<String> hops(String line) {
        List<String> hops = new ArrayList<>();
        for (String hop : line.split(",")) {
            if (!hop.isBlank()) {
                hops.add(hop);
            }
        }
        return hops;
    }

    /** A plain address in its one canonical form (an IPv4-mapped IPv6 address as IPv4, no zone), or null. */
    static IPAddress address(String text) {
        if (text == null) {
            return null;
        }
        HostName host = new HostName(text.trim(), ADDRESS);
        if (!host.isValid() || !host.isAddress()) {
            return null;
        }
        IPAddress address = host.asAddress();
        if (address.isIPv6() && address.toIPv6().isIPv4Mapped()) {
            return address.toIPv6().getEmbeddedIPv4Address();
        }
        return address.isIPv6() ? address.toIPv6().removeZone() : address;
    }

    /** The {@code for} value of one {@code Forwarded} element ({@code for=x;proto=https;by=y}), unquoted, or null. */
    private static String forParameter(String element) {
        for (String pair : element.split(";")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && pair.substring(0, equals).trim().equalsIgnoreCase("for")) {
                String value = pair.substring(equals + 1).trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1)
                        : value;
            }
        }
        return null;
    }
}
