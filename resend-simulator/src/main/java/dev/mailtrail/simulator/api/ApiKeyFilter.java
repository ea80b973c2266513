package dev.mailtrail.simulator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import dev.mailtrail.simulator.SimulatorProperties;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resend's bearer authentication for its API paths. A filter rather than a controller check so the key is checked
 * before the body is read, as Resend does (a bad key wins over a bad body).
 */
@Component
class ApiKeyFilter implements WebFilter {

    private static final String BEARER = "Bearer ";

    private final byte[] apiKey;
    private final JsonMapper mapper;

    ApiKeyFilter(SimulatorProperties properties, JsonMapper mapper) {
        this.apiKey = properties.apiKey().getBytes(StandardCharsets.UTF_8);
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!isResendApi(exchange.getRequest().getPath().pathWithinApplication().value())) {
            return chain.filter(exchange);
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            return reject(exchange.getResponse(), ResendApiException.missingApiKey());
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(presented, apiKey)) {
            return reject(exchange.getResponse(), ResendApiException.invalidApiKey());
        }
        return chain.filter(exchange);
    }

    private static boolean isResendApi(String path) {
        return path.equals("/emails") || path.startsWith("/emails/");
    }

    private Mono<Void> reject(ServerHttpResponse response, ResendApiException error) {
        response.setStatusCode(error.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = mapper.writeValueAsBytes(error.toBody());
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
