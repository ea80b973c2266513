package dev.mailtrail.send.resend;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Calls Resend's send endpoints (and its management and Receiving APIs) politely: at most the configured rate (evenly spaced, so a fractional rate works),
 * and quiet for as long as Resend's {@code retry-after} / {@code ratelimit-*} headers ask. Blocking: called from the
 * sender's own threads, never from a Netty event loop.
 */
@Component
public class ResendClient {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The longest quiet period a header can impose at once; a longer one just gets asked for again. */
    private static final Duration MAX_QUIET = Duration.ofMinutes(1);

    private static final Pattern RESEND_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private final WebClient web;
    private final RateLimiter limiter;
    private final Duration bound;
    private final Clock clock;
    private final AtomicReference<Instant> quietUntil = new AtomicReference<>(Instant.EPOCH);

    ResendClient(ResendProperties properties, Clock clock) {
        this.clock = clock;
        HttpClient http = HttpClient.create()
                .option(
                        ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        Math.toIntExact(properties.connectTimeout().toMillis()))
                .responseTimeout(properties.responseTimeout());
        this.web = WebClient.builder()
                .baseUrl(properties.baseUrl().toString())
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + properties.apiKey())
                .defaultHeader(HttpHeaders.USER_AGENT, "mailtrail-send-service")
                .build();
        this.limiter = RateLimiter.of(
                "resend",
                RateLimiterConfig.custom()
                        .limitForPeriod(1)
                        .limitRefreshPeriod(Duration.ofNanos(Math.round(1e9 / properties.rateLimit())))
                        .timeoutDuration(MAX_QUIET)
                        .build());
        this.bound = properties.callBound().plusSeconds(5);
    }

    /**
     * One call under {@code idempotencyKey}: {@code POST /emails} with one email, or {@code POST /emails/batch} with
     * a JSON array of them, permissive so that one refused email does not refuse the others.
     */
    public ResendOutcome send(boolean batch, String idempotencyKey, String body, int emails) {
        awaitTurn();
        return web.post()
                .uri(batch ? "/emails/batch" : "/emails")
                .header(IDEMPOTENCY_KEY, idempotencyKey)
                .headers(headers -> {
                    if (batch) {
                        headers.set("x-batch-validation", "permissive");
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                // bytes, so the stored body goes out exactly as it is
                .bodyValue(body.getBytes(StandardCharsets.UTF_8))
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(text -> answered(
                                response.statusCode().value(),
                                text,
                                response.headers().asHttpHeaders(),
                                emails)))
                .timeout(bound)
                .onErrorResume(e -> Mono.just(ResendOutcome.unanswered(e)))
                .block();
    }

    /**
     * One call to Resend's management or Receiving API ({@code GET} or {@code POST} without a body; {@code path} with
     * its ids checked by {@link #isResendId}) under the same rate limit and quiet periods as sending; a 429 starts a
     * quiet period. {@link ApiAnswer#unanswered()} when Resend did not answer; a body larger than the client buffers
     * (256 KiB) is answered as 413, since asking again would not help.
     */
    public ApiAnswer call(HttpMethod method, String path) {
        awaitTurn();
        return web.method(method)
                .uri(path)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(text -> {
                            int status = response.statusCode().value();
                            if (status == 429) {
                                Duration wait = seconds(
                                        response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER));
                                quietUntil(clock.instant().plus(wait != null ? wait : Duration.ofSeconds(1)));
                            }
                            return new ApiAnswer(status, text);
                        }))
                .timeout(bound)
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(ApiAnswer.TOO_LARGE))
                .onErrorResume(e -> Mono.just(ApiAnswer.UNANSWERED))
                .block();
    }

    /** Whether {@code id} has the form of Resend's ids, safe in a path as it is (never an outsider's path). */
    public static boolean isResendId(String id) {
        return id != null && RESEND_ID.matcher(id).matches();
    }

    /** An API answer: its status and body; status 0 when there was none (timeout, refused connection). */
    public record ApiAnswer(int status, String body) {
        static final ApiAnswer UNANSWERED = new ApiAnswer(0, "");
        static final ApiAnswer TOO_LARGE = new ApiAnswer(413, "");

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public boolean unanswered() {
            return status == 0;
        }

        /** Worth asking again: unanswered, rate limited, or Resend's own trouble. */
        public boolean worthRetrying() {
            return status == 0 || status == 429 || status >= 500;
        }
    }

    private ResendOutcome answered(int status, String body, HttpHeaders headers, int emails) {
        Instant now = clock.instant();
        Duration reset = seconds(headers.getFirst("ratelimit-reset"));
        Duration retryAfter = seconds(headers.getFirst(HttpHeaders.RETRY_AFTER));
        ResendOutcome outcome = ResendOutcome.answered(
                status, body, retryAfter != null || status != 429 ? retryAfter : reset, emails, now);
        if (outcome instanceof ResendOutcome.Retry retry && retry.reason() == ResendOutcome.Reason.RATE_LIMITED) {
            quietUntil(retry.earliest() != null ? retry.earliest() : now.plusSeconds(1));
        } else if ("0".equals(headers.getFirst("ratelimit-remaining")) && reset != null) {
            quietUntil(now.plus(reset));
        }
        return outcome;
    }

    private void quietUntil(Instant until) {
        Instant bounded =
                until.isAfter(clock.instant().plus(MAX_QUIET)) ? clock.instant().plus(MAX_QUIET) : until;
        quietUntil.accumulateAndGet(bounded, (a, b) -> a.isAfter(b) ? a : b);
    }

    private void awaitTurn() {
        Duration quiet = Duration.between(clock.instant(), quietUntil.get());
        try {
            if (!quiet.isNegative() && !quiet.isZero()) {
                Thread.sleep(quiet.toMillis() + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        while (!limiter.acquirePermission() && !Thread.currentThread().isInterrupted()) {
            // waited MAX_QUIET without a permit: other threads are busy sending; keep waiting
        }
    }

    /** Resend's headers count seconds. */
    private static Duration seconds(String value) {
        try {
            return value == null ? null : Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
