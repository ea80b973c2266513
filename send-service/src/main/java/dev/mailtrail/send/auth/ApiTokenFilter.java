package dev.mailtrail.send.auth;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.web.ProblemFallback;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.RequestPath;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/** Every CRM-facing route ({@code /api/crm/**}) needs {@code Authorization: Bearer <token>}. */
@Component
public class ApiTokenFilter implements WebFilter {

    private static final String BEARER = "Bearer ";

    private final ApiTokens tokens;

    ApiTokenFilter(ApiTokenProperties properties) {
        this.tokens = new ApiTokens(properties.apiTokens());
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isProtected(exchange.getRequest().getPath())) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim()
                : null;
        return tokens.authenticate(presented)
                .map(caller -> {
                    exchange.getAttributes().put(ApiCaller.ATTRIBUTE, caller);
                    return chain.filter(exchange);
                })
                .orElseGet(() -> unauthorized(exchange.getResponse(), presented == null));
    }

    /**
     * Whether the path lies under {@code /api/crm/} however it is spelled. The router matches decoded segments
     * without their {@code ;parameters} ({@code /api/cr%6D/…}, {@code /api/crm;x=1/…}); this reads them the same
     * way, in any case, and also drops empty and {@code .} segments and resolves {@code ..}, the way a lenient proxy
     * would, so every spelling the router could send to a CRM route needs a token (the rest it answers 404).
     */
    static boolean isProtected(RequestPath path) {
        List<String> segments = new ArrayList<>();
        for (PathContainer.Element element : path.pathWithinApplication().elements()) {
            if (element instanceof PathContainer.PathSegment segment) {
                // %2F decodes to a slash inside one segment: split it too
                for (String part : segment.valueToMatch().split("/", -1)) {
                    if (part.equals("..")) {
                        if (!segments.isEmpty()) {
                            segments.remove(segments.size() - 1);
                        }
                    } else if (!part.isEmpty() && !part.equals(".")) {
                        segments.add(part);
                    }
                }
            }
            // once the path has passed through /api/crm, whatever follows (even ../..) needs the token
            if (segments.size() >= 2
                    && segments.get(0).equalsIgnoreCase("api")
                    && segments.get(1).equalsIgnoreCase("crm")) {
                return true;
            }
        }
        return false;
    }

    private Mono<Void> unauthorized(ServerHttpResponse response, boolean missing) {
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, missing ? "Bearer" : "Bearer error=\"invalid_token\"");
        return ProblemFallback.write(
                response,
                ProblemCode.UNAUTHORIZED,
                ProblemCode.UNAUTHORIZED.body(
                        missing ? "Send Authorization: Bearer <token>" : "The bearer token is not valid"));
    }
}
