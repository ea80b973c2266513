package dev.mailtrail.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A tiny webhook endpoint for tests: records every request; answers 200, or 503 for bodies {@code failWhen} matches. */
public final class WebhookReceiver implements AutoCloseable {

    /** Headers keyed case-insensitively, body as the exact text received. */
    public record Request(Map<String, List<String>> headers, String body) {
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Predicate<String> failWhen;

    private WebhookReceiver(Predicate<String> failWhen) throws IOException {
        this.failWhen = failWhen;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver start(Predicate<String> failWhen) {
        try {
            return new WebhookReceiver(failWhen);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/resend";
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            requests.add(new Request(headers, body));
            exchange.sendResponseHeaders(failWhen.test(body) ? 503 : 200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
