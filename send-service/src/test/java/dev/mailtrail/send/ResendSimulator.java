package dev.mailtrail.send;

import com.sun.net.httpserver.HttpServer;
import dev.mailtrail.simulator.ResendSimulatorApplication;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The resend-simulator (Resend's API over HTTP), started once per test JVM in this process on a free port. Its webhooks
 * go to a receiver that answers 204 (400 or 503 to a body with {@link #SINK_REFUSES} or {@link #SINK_FAILS}). In front of its API sits a {@link FrontDoor} that records every
 * call's body byte for byte and can answer a key's next calls with failures the simulator cannot be told to give (5xx).
 */
public final class ResendSimulator {

    public static final FrontDoor FRONT_DOOR = new FrontDoor();
    /** A webhook whose body contains this (say, in the email's subject) is answered 400, as our ingest refuses. */
    public static final String SINK_REFUSES = "sink-refuses";
    /** A webhook whose body contains this is answered 503, as an ingest that is down. */
    public static final String SINK_FAILS = "sink-fails";

    private static String url;

    private ResendSimulator() {}

    public static synchronized String url() {
        if (url == null) {
            url = start();
        }
        return url;
    }

    /** The control API ({@code /_simulator/...}) and the Resend API, unauthenticated as a test client. */
    public static WebTestClient client() {
        return WebTestClient.bindToServer()
                .baseUrl(url())
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }

    private static String start() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ResendSimulatorApplication.class)
                .initializers(c -> ((GenericApplicationContext) c).registerBean(FrontDoor.class, () -> FRONT_DOOR))
                // command-line arguments: they win over the simulator's own application.yml
                .run(
                        "--spring.config.location=" + ownConfig(),
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--mailtrail.simulator.webhook-url=http://127.0.0.1:" + webhookSink() + "/",
                        "--mailtrail.simulator.event-gap=10ms",
                        "--mailtrail.simulator.retry-scale=0.001",
                        "--logging.level.dev.mailtrail.simulator=WARN",
                        // this process also has the send-service's database and Kafka on its classpath
                        "--spring.autoconfigure.exclude="
                                + "org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration,"
                                + "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration,"
                                + "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration,"
                                + "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration");
        Runtime.getRuntime().addShutdownHook(new Thread(context::close));
        return "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
    }

    /** The simulator's application.yml: the send-service's own has the same name and comes first on the classpath. */
    private static String ownConfig() {
        try {
            ClassLoader loader = ResendSimulator.class.getClassLoader();
            for (URL candidate : Collections.list(loader.getResources("application.yml"))) {
                if (candidate.toString().contains("resend-simulator")) {
                    return candidate.toString();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the resend-simulator's application.yml is not on the test classpath");
    }

    private static int webhookSink() {
        try {
            HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            sink.createContext("/", exchange -> {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(
                        body.contains(SINK_REFUSES) ? 400 : body.contains(SINK_FAILS) ? 503 : 204, -1);
                exchange.close();
            });
            sink.start();
            return sink.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Before the simulator's own filters: records, and answers queued failures instead of the simulator. */
    public static final class FrontDoor implements WebFilter, Ordered {

        /** A failure Resend could answer with. */
        public record Failure(int status, String name, String retryAfter) {}

        private final Map<String, Queue<Failure>> failures = new ConcurrentHashMap<>();
        private final Map<String, List<String>> bodies = new ConcurrentHashMap<>();

        /** The next calls under {@code idempotencyKey} get these answers, in order, before the simulator sees one. */
        public void fail(String idempotencyKey, Failure... next) {
            failures.computeIfAbsent(idempotencyKey, k -> new ConcurrentLinkedQueue<>())
                    .addAll(List.of(next));
        }

        /** Every body sent under {@code idempotencyKey}, failed calls included, as received. */
        public List<String> bodies(String idempotencyKey) {
            return List.copyOf(bodies.getOrDefault(idempotencyKey, List.of()));
        }

        /** The keys under which some body contained {@code text} (an activity id, say), in no particular order. */
        public List<String> keysOfBodiesContaining(String text) {
            return bodies.entrySet().stream()
                    .filter(entry -> List.copyOf(entry.getValue()).stream().anyMatch(body -> body.contains(text)))
                    .map(Map.Entry::getKey)
                    .toList();
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }

        @Override
        public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
            ServerHttpRequest request = exchange.getRequest();
            String key = request.getHeaders().getFirst("Idempotency-Key");
            if (key == null || !request.getPath().value().startsWith("/emails")) {
                return chain.filter(exchange);
            }
            return DataBufferUtils.join(request.getBody())
                    .map(buffer -> {
                        String text = buffer.toString(StandardCharsets.UTF_8);
                        DataBufferUtils.release(buffer);
                        return text;
                    })
                    .defaultIfEmpty("")
                    .flatMap(body -> {
                        bodies.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                                .add(body);
                        Failure failure = failures.getOrDefault(key, new ConcurrentLinkedQueue<>())
                                .poll();
                        if (failure != null) {
                            return answer(exchange.getResponse(), failure);
                        }
                        ServerHttpRequest replay = new ServerHttpRequestDecorator(request) {
                            @Override
                            public Flux<DataBuffer> getBody() {
                                return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(
                                        body.getBytes(StandardCharsets.UTF_8))));
                            }
                        };
                        return chain.filter(exchange.mutate().request(replay).build());
                    });
        }

        private static Mono<Void> answer(ServerHttpResponse response, Failure failure) {
            response.setStatusCode(HttpStatus.valueOf(failure.status()));
            response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
            if (failure.retryAfter() != null) {
                response.getHeaders().set("retry-after", failure.retryAfter());
            }
            byte[] body = ("{\"statusCode\":" + failure.status() + ",\"message\":\"injected by the test\",\"name\":\""
                            + failure.name() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        }
    }
}
