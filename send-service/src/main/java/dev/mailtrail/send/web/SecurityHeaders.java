package dev.mailtrail.send.web;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every answer of the public port, the timeline page's above all, says: run and load only this origin's own files
 * (the page has no inline script or style), never be framed by another site, send no referrer. Swagger UI's pages
 * are left as they are: its stylesheet draws with data: images that policy blocks, and production switches it off.
 */
@Component
class SecurityHeaders implements WebFilter, Ordered {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'";
    static final String FRAME_OPTIONS = "DENY";
    static final String REFERRER_POLICY = "no-referrer";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith("/swagger-ui") && !path.startsWith("/webjars/swagger-ui/")) {
            // at commit time, so that error handling resetting the response cannot drop them
            exchange.getResponse().beforeCommit(() -> {
                HttpHeaders headers = exchange.getResponse().getHeaders();
                headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                headers.set("X-Frame-Options", FRAME_OPTIONS);
                headers.set("Referrer-Policy", REFERRER_POLICY);
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
