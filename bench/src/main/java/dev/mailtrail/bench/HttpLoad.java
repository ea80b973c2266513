package dev.mailtrail.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The load generator: Reactor Netty over HTTP/1.1 keep-alive with a fixed connection pool and its own two event
 * loops, so that it costs the machine little next to what it measures. Closed loop ({@link #run}: a fixed number
 * in flight) or paced ({@link #paced}: a fixed rate, with a cap on what is in flight).
 */
final class HttpLoad implements AutoCloseable {

    private static final byte[] EMPTY = new byte[0];

    /** One request; with {@code chunked} the body goes without a Content-Length. */
    record Request(HttpMethod method, String path, Map<String, String> headers, byte[] body, boolean chunked) {

        static Request post(String path, Map<String, String> headers, byte[] body) {
            return new Request(HttpMethod.POST, path, headers, body, false);
        }

        static Request get(String path, Map<String, String> headers) {
            return new Request(HttpMethod.GET, path, headers, null, false);
        }
    }

    /** An answer; status -1 when there was none ({@code error} says why). */
    record Answer(int status, String contentType, String retryAfter, byte[] body, long nanos, String error) {

        boolean ok() {
            return status >= 200 && status < 300;
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** "202", "503", ... or "no_answer". */
        String statusKey() {
            return status < 0 ? "no_answer" : Integer.toString(status);
        }
    }

    /** What one run measured. */
    record Run(int requests, long elapsedNanos, Latency.Summary latency, Map<String, Long> byStatus) {

        long ok() {
            return byStatus.entrySet().stream()
                    .filter(e -> e.getKey().startsWith("2"))
                    .mapToLong(Map.Entry::getValue)
                    .sum();
        }

        /** 2xx answers per second. */
        double okPerSecond() {
            return Stats.perSecond(ok(), elapsedNanos);
        }

        Map<String, Long> failures() {
            Map<String, Long> failures = new TreeMap<>(byStatus);
            failures.keySet().removeIf(k -> k.startsWith("2"));
            return failures;
        }
    }

    private final ConnectionProvider pool;
    private final LoopResources loops;
    private final HttpClient client;

    HttpLoad(String baseUrl, int connections, String name) {
        this.pool = ConnectionProvider.builder(name)
                .maxConnections(connections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(Duration.ofMinutes(5))
                .maxIdleTime(Duration.ofSeconds(20))
                .build();
        this.loops = LoopResources.create(name, 2, true);
        this.client = HttpClient.create(pool)
                .runOn(loops)
                .baseUrl(baseUrl)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                .responseTimeout(Duration.ofSeconds(30));
    }

    /** Never fails: a missing answer is an {@link Answer} with status -1. */
    Mono<Answer> send(Request r) {
        return Mono.defer(() -> {
            long t0 = System.nanoTime();
            HttpClient.ResponseReceiver<?> receiver;
            if (r.body() == null) {
                receiver = client.headers(h -> r.headers().forEach(h::set))
                        .request(r.method())
                        .uri(r.path());
            } else {
                receiver = client.request(r.method()).uri(r.path()).send((req, out) -> {
                    r.headers().forEach(req::header);
                    if (r.chunked()) {
                        return out.send(Flux.fromIterable(chunks(r.body(), 16 * 1024)));
                    }
                    req.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(r.body().length));
                    return out.send(Mono.just(Unpooled.wrappedBuffer(r.body())));
                });
            }
            return receiver.responseSingle((res, content) -> content.asByteArray()
                            .defaultIfEmpty(EMPTY)
                            .map(bytes -> new Answer(
                                    res.status().code(),
                                    res.responseHeaders().get(HttpHeaderNames.CONTENT_TYPE),
                                    res.responseHeaders().get(HttpHeaderNames.RETRY_AFTER),
                                    bytes,
                                    System.nanoTime() - t0,
                                    null)))
                    .onErrorResume(e -> Mono.just(new Answer(
                            -1,
                            null,
                            null,
                            EMPTY,
                            System.nanoTime() - t0,
                            e.getClass().getSimpleName() + ": " + e.getMessage())));
        });
    }

    Answer sendAndWait(Request r) {
        return send(r).block(Duration.ofMinutes(2));
    }

    /** Closed loop: {@code concurrency} calls in flight until every item had its answer. */
    <T> Run run(List<T> items, Function<T, Mono<Answer>> call, int concurrency, BiConsumer<T, Answer> onAnswer) {
        Tally tally = new Tally();
        long t0 = System.nanoTime();
        Flux.fromIterable(items)
                .flatMap(item -> call.apply(item).doOnNext(a -> tally.add(item, a, onAnswer)), concurrency, 1)
                .blockLast();
        return tally.run(items.size(), System.nanoTime() - t0);
    }

    /**
     * Open loop: item i is started at i / perSecond seconds (never more than {@code maxInFlight} at once), so a slow
     * answer does not slow the offered load.
     */
    <T> Run paced(
            List<T> items,
            Function<T, Mono<Answer>> call,
            double perSecond,
            int maxInFlight,
            BiConsumer<T, Answer> onAnswer)
            throws InterruptedException {
        Tally tally = new Tally();
        Semaphore inFlight = new Semaphore(maxInFlight);
        double interval = 1e9 / perSecond;
        long t0 = System.nanoTime();
        for (int i = 0; i < items.size(); i++) {
            long due = t0 + (long) (i * interval);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            inFlight.acquire();
            T item = items.get(i);
            call.apply(item)
                    .subscribe(
                            a -> {
                                tally.add(item, a, onAnswer);
                                inFlight.release();
                            },
                            e -> inFlight.release());
        }
        inFlight.acquire(maxInFlight);
        inFlight.release(maxInFlight);
        return tally.run(items.size(), System.nanoTime() - t0);
    }

    private static List<ByteBuf> chunks(byte[] body, int size) {
        List<ByteBuf> chunks = new ArrayList<>();
        for (int i = 0; i < body.length; i += size) {
            chunks.add(Unpooled.wrappedBuffer(body, i, Math.min(size, body.length - i)));
        }
        return chunks;
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(10));
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }

    /** Latency and answers by status, from any event-loop thread. */
    private static final class Tally {
        private final Latency latency = new Latency();
        private final Map<String, LongAdder> byStatus = new ConcurrentHashMap<>();

        <T> void add(T item, Answer answer, BiConsumer<T, Answer> onAnswer) {
            latency.recordNanos(answer.nanos());
            byStatus.computeIfAbsent(answer.statusKey(), k -> new LongAdder()).increment();
            if (onAnswer != null) {
                onAnswer.accept(item, answer);
            }
        }

        Run run(int requests, long elapsedNanos) {
            Map<String, Long> counts = new TreeMap<>();
            byStatus.forEach((k, v) -> counts.put(k, v.sum()));
            return new Run(requests, elapsedNanos, latency.summary(), counts);
        }
    }
}
