package dev.mailtrail.simulator.api;

import dev.mailtrail.simulator.SimulatorProperties;
import dev.mailtrail.simulator.store.LastRequest;
import dev.mailtrail.simulator.store.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What happens to every request on Resend's API paths before a controller sees it: it is recorded (for
 * {@code /_simulator/last-request}), its bearer key checked, then counted against the rate limit. A filter rather than
 * controller code so this comes before the body is read, as at Resend (a bad key wins over a bad body).
 */
@Component
class ResendApiFilter implements WebFilter {

    private static final String BEARER = "Bearer ";

    private final byte[] apiKey;
    private final ApiRateLimit rateLimit;
    private final LastRequest lastRequest;
    private final JsonMapper mapper;

    ResendApiFilter(
            SimulatorProperties properties, ApiRateLimit rateLimit, LastRequest lastRequest, JsonMapper mapper) {
        this.apiKey = properties.apiKey().getBytes(StandardCharsets.UTF_8);
        this.rateLimit = rateLimit;
        this.lastRequest = lastRequest;
        this.mapper = mapper;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        String path = request.getPath().pathWithinApplication().value();
        if (!isResendApi(path)) {
            return chain.filter(exchange);
        }
        lastRequest.record(new RecordedRequest(
                Instant.now(),
                request.getMethod().name(),
                path,
                request.getURI().getRawQuery(),
                masked(request.getHeaders())));
        ResendApiException refused = authenticate(request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION));
        if (refused == null) {
            refused = countRequest(exchange.getResponse().getHeaders());
        }
        return refused == null ? chain.filter(exchange) : reject(exchange.getResponse(), refused);
    }

    private static boolean isResendApi(String path) {
        return path.equals("/emails")
                || path.startsWith("/emails/")
                || path.equals("/webhooks")
                || path.startsWith("/webhooks/");
    }

    private ResendApiException authenticate(String authorization) {
        if (authorization == null
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.substring(BEARER.length()).isBlank()) {
            return ResendApiException.missingApiKey();
        }
        byte[] presented = authorization.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, apiKey) ? null : ResendApiException.invalidApiKey();
    }

    /** Takes a permit and sets Resend's {@code ratelimit-*} headers (when limiting is on); the error when over. */
    private ResendApiException countRequest(HttpHeaders headers) {
        return rateLimit
                .acquire()
                .map(decision -> {
                    headers.set("ratelimit-limit", Integer.toString(decision.limit()));
                    headers.set("ratelimit-remaining", Integer.toString(decision.remaining()));
                    headers.set("ratelimit-reset", Long.toString(decision.resetSeconds()));
                    if (decision.allowed()) {
                        return null;
                    }
                    headers.set(HttpHeaders.RETRY_AFTER, Long.toString(decision.resetSeconds()));
                    return ResendApiException.rateLimited(decision.limit());
                })
                .orElse(null);
    }

    /** Header names in lower case (HTTP does not care, tests then need not guess); the API key never shown. */
    private static Map<String, List<String>> masked(HttpHeaders headers) {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        headers.forEach((name, values) -> copy.put(
                name.toLowerCase(Locale.ROOT),
                name.equalsIgnoreCase(HttpHeaders.AUTHORIZATION)
                        ? values.stream().map(ResendApiFilter::mask).toList()
                        : List.copyOf(values)));
        return copy;
    }

    private static String mask(String authorization) {
        int space = authorization.indexOf(' ');
        return space < 0 ? "***" : authorization.substring(0, space) + " ***";
    }

    private Mono<Void> reject(ServerHttpResponse response, ResendApiException error) {
        response.setStatusCode(error.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = mapper.writeValueAsBytes(error.toBody());
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
