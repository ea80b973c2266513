package dev.mailtrail.ingest.tracking;

import dev.mailtrail.ingest.client.Classifiers;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.unit.DataSize;
import reactor.netty.http.client.HttpClient;

/**
 * Tracking fixtures: settings for tests built without Spring (application.yml's defaults, except what a test
 * sets), and clients connecting from a chosen loopback address.
 */
final class Trackings {

    static final DataSize AGENT_CACHE = DataSize.ofBytes(Classifiers.AGENT_CACHE_BYTES);

    private Trackings() {}

    static TrackingProperties properties(int clientPerMinute, int tokenPerHour, DataSize limiterMemory) {
        return new TrackingProperties(
                null,
                null,
                null,
                Duration.ofSeconds(30),
                AGENT_CACHE,
                buffer(DataSize.ofMegabytes(16), Duration.ofSeconds(5)),
                new TrackingProperties.Limits(clientPerMinute, tokenPerHour, limiterMemory));
    }

    static TrackingProperties.Buffer buffer(DataSize memory, Duration shutdownFlush) {
        return new TrackingProperties.Buffer(memory, shutdownFlush);
    }

    /** A client connecting to the ingest on {@code port} from this loopback address (127.0.0.0/8 is all local). */
    static WebTestClient from(int port, String ip) {
        HttpClient client = HttpClient.create().bindAddress(() -> new InetSocketAddress(ip, 0));
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(client))
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30))
                .build();
    }
}
