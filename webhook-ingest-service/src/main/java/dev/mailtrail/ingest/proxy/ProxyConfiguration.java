package dev.mailtrail.ingest.proxy;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class ProxyConfiguration {

    static final String SPRING_STRATEGY = "server.forward-headers-strategy";

    /**
     * Spring's own forwarding support (native or framework) believes whoever sends the headers: with it on, the
     * peer address {@link TrustedProxies} starts from would already be the caller's choice. Refused, by name.
     */
    @Bean
    TrustedProxies trustedProxies(ProxyProperties properties, Environment environment) {
        String strategy = environment.getProperty(SPRING_STRATEGY, "none");
        if (!strategy.equalsIgnoreCase("none")) {
            throw new IllegalStateException("SERVER_FORWARD_HEADERS_STRATEGY=" + strategy + " believes any caller's "
                    + "Forwarded and X-Forwarded-For headers: leave it at none and list the proxies in "
                    + TrustedProxies.VARIABLE);
        }
        return TrustedProxies.of(properties.trusted());
    }
}
