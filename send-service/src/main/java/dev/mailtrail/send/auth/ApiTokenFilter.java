package dev.mailtrail.send.auth;

import dev.mailtrail.events.ProblemCode;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Every CRM-facing route ({@code /api/crm/**}) needs {@code Authorization: Bearer <token>}. */
@Component
public class ApiTokenFilter implements WebFilter {

    private static final String PROTECTED = "/api/crm/";
    private static final String BEARER = "Bearer ";

    private final ApiTokens tokens;
    private final JsonMapper json;

    public ApiTokenFilter(@Value("${mailtrail.api-tokens}") String tokens, JsonMapper json) {
        this.tokens = new ApiTokens(tokens);
        this.json = json;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith(PROTECTED)) {
            return chain.filter(exchange);
        }
        String header = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        String presented = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                ? header.substring(BEARER.length()).trim() : null;
        return tokens.authenticate(presented)
                .map(caller -> {
                    exchange.getAttributes().put(ApiCaller.ATTRIBUTE, caller);
                    return chain.filter(exchange);
                })
                .orElseGet(() -> unauthorized(exchange.getResponse(), presented == null));
    }

    private Mono<Void> unauthorized(ServerHttpResponse response, boolean missing) {
        response.setStatusCode(HttpStatus.UNAUTHORIZED);
        response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, missing ? "Bearer" : "Bearer error=\"invalid_token\"");
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = json.writeValueAsBytes(ProblemCode.UNAUTHORIZED.body(
                missing ? "Send Authorization: Bearer <token>" : "The bearer token is not valid"));
        DataBuffer buffer = response.bufferFactory().wrap(body);
        return response.writeWith(Mono.just(buffer));
    }
}
