package dev.mailtrail.ingest.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.EventsTopic;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Floods on one token: every request is answered as usual, only so many are recorded. Time stands still here
 * (a fixed clock), so no bucket refills while a test runs and the counts are exact.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.tracking.limits.client-per-minute=5",
            "mailtrail.tracking.limits.token-per-hour=8",
            "mailtrail.proxies.trusted=127.0.0.1/32"
        })
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class TrackingLimitsIntegrationTests {

    @TestBean
    Clock clock;

    static Clock clock() {
        return Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC);
    }

    @LocalServerPort
    int port;

    @Autowired
    TrackingTokenCodec codec;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @Test
    void aFloodFromOneClientIsAnsweredInFullButRecordedUpToTheClientLimit() {
        String flooded = codec.encode(TrackingToken.open("act-flood", "t-1"));
        String calm = codec.encode(TrackingToken.open("act-calm", "t-1"));
        double limited = dropped("client_rate");
        WebTestClient client = from("127.0.0.1");

        for (int i = 0; i < 30; i++) {
            // a new agent each time, as the flood in the issue: every hit a distinct event
            client.get()
                    .uri("/t/o/{token}.gif", flooded)
                    .header(HttpHeaders.USER_AGENT, "Firefox/" + i)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectBody(byte[].class)
                    .isEqualTo(TrackingController.PIXEL);
        }
        client.get()
                .uri("/t/o/{token}.gif", calm)
                .header(HttpHeaders.USER_AGENT, "Firefox/1")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);

        // counted on the request thread, before the answer
        assertThat(dropped("client_rate")).isEqualTo(limited + 25);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> recorded("act-flood") >= 5 && recorded("act-calm") == 1);
        assertThat(recorded("act-flood")).isEqualTo(5);
    }

    @Test
    void aLimitedClickIsStillRedirected() {
        String url = "https://acme.test/pricing";
        String link = codec.encode(TrackingToken.click("act-click-flood", "t-1", 0, url));
        double limited = dropped("client_rate");
        WebTestClient client = from("127.0.0.1");

        for (int i = 0; i < 8; i++) {
            client.get()
                    .uri("/t/c/{token}", link)
                    .header(HttpHeaders.USER_AGENT, "Firefox/" + i)
                    .exchange()
                    .expectStatus()
                    .isFound()
                    .expectHeader()
                    .valueEquals(HttpHeaders.LOCATION, url);
        }

        assertThat(dropped("client_rate")).isEqualTo(limited + 3);
    }

    @Test
    void manyClientsOnOneTokenAreRecordedUpToTheTokenLimit() {
        String pixel = codec.encode(TrackingToken.open("act-crowd", "t-1"));
        double limited = dropped("token_rate");

        // four clients, each within its own limit of 5; together over the token's 8
        for (int c = 2; c <= 5; c++) {
            WebTestClient client = from("127.0.0." + c);
            for (int i = 0; i < 3; i++) {
                client.get()
                        .uri("/t/o/{token}.gif", pixel)
                        .header(HttpHeaders.USER_AGENT, "Firefox/" + i)
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody(byte[].class)
                        .isEqualTo(TrackingController.PIXEL);
            }
        }

        assertThat(dropped("token_rate")).isEqualTo(limited + 4);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> recorded("act-crowd") >= 8);
        assertThat(recorded("act-crowd")).isEqualTo(8);
    }

    @Test
    void clientsBehindATrustedProxyAreLimitedEachByTheirOwnAddressAndOthersByTheirConnection() {
        String proxied = codec.encode(TrackingToken.open("act-proxied", "t-1"));
        String spoofed = codec.encode(TrackingToken.open("act-spoofed", "t-1"));
        double limited = dropped("client_rate");
        WebTestClient proxy = from("127.0.0.1");
        WebTestClient direct = from("127.0.0.9");

        // through the proxy: 198.51.100.1 goes 2 over its 5, 198.51.100.2 stays within
        for (int i = 0; i < 7; i++) {
            hit(proxy, proxied, i, "198.51.100.1");
        }
        for (int i = 0; i < 3; i++) {
            hit(proxy, proxied, i, "198.51.100.2");
        }
        assertThat(dropped("client_rate")).isEqualTo(limited + 2);
        // not through it: a new address in each header is still one client, the connection
        for (int i = 0; i < 7; i++) {
            hit(direct, spoofed, i, "198.51.100." + (10 + i));
        }
        assertThat(dropped("client_rate")).isEqualTo(limited + 4);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> recorded("act-proxied") >= 8 && recorded("act-spoofed") >= 5);
        assertThat(recorded("act-proxied")).isEqualTo(8);
        assertThat(recorded("act-spoofed")).isEqualTo(5);
    }

    private static void hit(WebTestClient client, String token, int agent, String forwardedFor) {
        client.get()
                .uri("/t/o/{token}.gif", token)
                .header(HttpHeaders.USER_AGENT, "Firefox/" + agent)
                .header("X-Forwarded-For", forwardedFor)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);
    }

    /** A client connecting from this loopback address (the edge limits by the client's address). */
    private WebTestClient from(String ip) {
        return Trackings.from(port, ip);
    }

    private long recorded(String activityId) {
        return EventsTopic.events(broker.getBrokersAsString()).count(activityId);
    }

    private double dropped(String reason) {
        return meters.get("mailtrail.tracking.dropped")
                .tag("reason", reason)
                .counter()
                .count();
    }
}
