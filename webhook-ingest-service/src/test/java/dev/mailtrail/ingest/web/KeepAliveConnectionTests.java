package dev.mailtrail.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A keep-alive connection keeps being served after a request arrived while the previous response was still
 * finishing off the event loop. Reactor Netty up to 1.3.7 stopped reading such a connection for good
 * (reactor-netty#4361): the next request on it hung until the client gave up, which is what the intermittent
 * 30 s "Timeout on blocking read" of WebTestClient in the integration tests was. Resend posts webhooks and CRM
 * clients call the API over keep-alive connections too, so the parent pom pins Reactor 2025.0.8 (Reactor Netty
 * 1.3.8); this test fails if a downgrade brings the stall back.
 */
class KeepAliveConnectionTests {

    private static final String ANSWER = "ok";

    private DisposableServer server;

    @BeforeEach
    void start() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> response.sendString(
                        request.uri().equals("/slow")
                                ? Mono.delay(Duration.ofMillis(50)).thenReturn(ANSWER)
                                : Mono.just(ANSWER)))
                .bindNow(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        server.disposeNow(Duration.ofSeconds(10));
    }

    @RepeatedTest(5)
    void aRequestAfterOneThatArrivedWhileTheLastWasFinishingIsAnswered() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // the second request arrives while the first is still being answered (off the event loop)
            out.write((request("/slow") + request("/fast")).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponses(in, 2)).isEqualTo(2);

            out.write(request("/after").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponses(in, 1))
                    .as("responses to the request after the pipelined pair")
                    .isEqualTo(1);
        }
    }

    private static String request(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    /** Reads until {@code expected} complete "ok" responses have arrived, or the socket times out. */
    private static int readResponses(InputStream in, int expected) throws IOException {
        StringBuilder received = new StringBuilder();
        byte[] buffer = new byte[1024];
        int complete = 0;
        try {
            while (complete < expected) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
                complete = count(received, "\r\n\r\n" + ANSWER);
            }
        } catch (SocketTimeoutException stalled) {
            // the count so far is the answer
        }
        return complete;
    }

    private static int count(CharSequence received, String part) {
        String text = received.toString();
        int found = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            found++;
        }
        return found;
    }
}
