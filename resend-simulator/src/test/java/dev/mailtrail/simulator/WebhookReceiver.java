package dev.mailtrail.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A tiny webhook endpoint for tests: records every request and answers what its {@link Responder} says. */
public final class WebhookReceiver implements AutoCloseable {

    /** Headers keyed case-insensitively, body as the exact text received. */
    public record Request(Map<String, List<String>> headers, String body) {

        public String svixId() {
            return headers.get("svix-id").get(0);
        }
    }

    /** The status to answer, given the body and how often this svix-id has arrived, this time included (1 = first). */
    @FunctionalInterface
    public interface Responder {
        int status(String body, int arrival);
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private final Responder responder;

    private WebhookReceiver(Responder responder) throws IOException {
        this.responder = responder;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static WebhookReceiver start(Responder responder) {
        try {
            return new WebhookReceiver(responder);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/webhooks/resend";
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, List.copyOf(values)));
            exchange.sendResponseHeaders(responder.status(body, record(new Request(headers, body))), -1);
        }
    }

    /** Adds the request; returns how often its svix-id has now arrived. */
    private synchronized int record(Request request) {
        requests.add(request);
        return (int) requests.stream()
                .filter(r -> r.svixId().equals(request.svixId()))
                .count();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
