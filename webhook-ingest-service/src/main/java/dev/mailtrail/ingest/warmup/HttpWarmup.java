package dev.mailtrail.ingest.warmup;

import dev.mailtrail.ingest.web.WarmupPass;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;

/**
 * The warm-up's second part: signed synthetic webhooks sent to the instance's own webhook route over loopback HTTP,
 * so the HTTP server, WebFlux's dispatch, the body's reading and the route compile too, which the in-process rounds
 * never reach (and which are most of a webhook's CPU). Each carries the {@link WarmupPass}: answered after the same
 * work as any other, never published, counted nowhere (only the HTTP server's own request metrics see them).
 */
final class HttpWarmup {

    /** Requests in flight: as a burst of Resend's deliveries would bring them. */
    static final int CONCURRENCY = 8;

    private final SyntheticWebhooks webhooks;
    private final WarmupPass pass;
    private final Clock clock;

    HttpWarmup(SyntheticWebhooks webhooks, WarmupPass pass, Clock clock) {
        this.webhooks = webhooks;
        this.pass = pass;
        this.clock = clock;
    }

    /**
     * Sends {@code requests} webhooks to {@code host:port}, stopping at {@code within}; how many were answered 202.
     *
     * @throws IllegalStateException when one is answered otherwise (the route refuses them: warming it is pointless)
     */
    int run(String host, int port, int requests, Duration within) {
        AtomicInteger accepted = new AtomicInteger();
        HttpClient client = HttpClient.create().baseUrl("http://" + host + ":" + port);
        Flux.range(0, requests)
                .flatMap(
                        i -> {
                            SyntheticWebhooks.Signed signed =
                                    webhooks.signed(i, clock.instant().getEpochSecond(), Warmup.agent(i));
                            return client.headers(h -> {
                                        signed.headers().forEach((name, values) -> h.set(name, values.get(0)));
                                        h.set(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE);
                                        h.set(WarmupPass.HEADER, pass.value());
                                    })
                                    .post()
                                    .uri("/api/webhooks/resend")
                                    .send(ByteBufFlux.fromInbound(Mono.just(signed.body())))
                                    .responseSingle((response, body) -> body.then(
                                            Mono.just(response.status().code())));
                        },
                        CONCURRENCY)
                .doOnNext(status -> {
                    if (status != 202) {
                        throw new IllegalStateException("the webhook route answered its warm-up " + status);
                    }
                    accepted.incrementAndGet();
                })
                .take(within)
                .blockLast(within.plusSeconds(5));
        return accepted.get();
    }
}
