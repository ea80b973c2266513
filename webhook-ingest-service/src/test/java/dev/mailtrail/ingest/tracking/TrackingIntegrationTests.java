package dev.mailtrail.ingest.tracking;

import static dev.mailtrail.ingest.EventsTopic.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.WireText;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.fixtures.MutableClock;
import dev.mailtrail.ingest.EventsTopic;
import dev.mailtrail.ingest.client.Classifiers;
import dev.mailtrail.ingest.client.IpHasher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.proxies.trusted=127.0.0.1/32,10.0.0.0/8",
            "mailtrail.tracking.relay-ranges-file=" + Classifiers.RELAY_SAMPLE
        })
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class TrackingIntegrationTests {

    static final String SAFARI = Classifiers.SAFARI;

    /** Time moves only when a test moves it: which dedupe window a hit falls in is the test's to say. */
    static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-11-26T10:00:00Z"));

    @TestBean
    Clock clock;

    static Clock clock() {
        return CLOCK;
    }

    @Autowired
    WebTestClient http;

    @Autowired
    TrackingTokenCodec codec;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    IpHasher ipHasher;

    @LocalServerPort
    int port;

    @Test
    void aPixelLoadAnswersTheGifAndRecordsAnOpen() {
        String token = codec.encode(TrackingToken.open("act-pixel", "t-1"));

        byte[] gif = http.get()
                .uri("/t/o/{token}.gif", token)
                .header(HttpHeaders.USER_AGENT, SAFARI)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentType(MediaType.IMAGE_GIF)
                .expectHeader()
                .cacheControl(org.springframework.http.CacheControl.noStore())
                .expectBody(byte[].class)
                .returnResult()
                .getResponseBody();

        assertThat(gif).hasSize(43).isEqualTo(TrackingController.PIXEL);
        EmailEvent open = event(topic().awaitActivity("act-pixel"));
        assertThat(open.type()).isEqualTo(EmailEventType.OPENED);
        assertThat(open.source()).isEqualTo(EventSource.TRACKING_PIXEL);
        assertThat(open.classification()).isEqualTo(Classification.HUMAN);
        assertThat(open.client().ipHash()).isNotBlank().doesNotContain("127.0.0.1");
        assertThat(open.eventId()).startsWith("open:");
        assertThat(open.tags()).doesNotContainKey(Recipients.TAG);
    }

    @Test
    void aRecipientsPixelAndLinkNameThatRecipient() {
        String open = codec.encode(TrackingToken.open("act-second", "t-1").forRecipient(1));
        String click = codec.encode(TrackingToken.click("act-second-click", "t-1", 0, "https://acme.test/")
                .forRecipient(2));

        http.get()
                .uri("/t/o/{token}.gif", open)
                .header(HttpHeaders.USER_AGENT, SAFARI)
                .exchange()
                .expectStatus()
                .isOk();
        http.get()
                .uri("/t/c/{token}", click)
                .header(HttpHeaders.USER_AGENT, SAFARI)
                .exchange()
                .expectStatus()
                .isFound();

        assertThat(event(topic().awaitActivity("act-second")).tags()).containsEntry(Recipients.TAG, "1");
        assertThat(event(topic().awaitActivity("act-second-click")).tags()).containsEntry(Recipients.TAG, "2");
    }

    @Test
    void aPrefetchThenThePersonsOpenFromOneClientWithinTheWindowAreOneMachineAndOneHumanOpen() {
        String activityId = "act-prefetch-then-open";
        String token = codec.encode(TrackingToken.open(activityId, "t-1"));
        // every load from one address and one browser, all in the dedupe window that starts now
        CLOCK.advance(Duration.ofMillis(30_000 - CLOCK.millis() % 30_000));
        load("127.0.0.3", token, h -> h.set("Sec-Purpose", "prefetch;prerender"));
        CLOCK.advance(Duration.ofSeconds(10));
        load("127.0.0.3", token, h -> {});
        // the same load again (a client re-fetching the image): the same fact, published again under its id
        CLOCK.advance(Duration.ofSeconds(10));
        load("127.0.0.3", token, h -> {});

        await().atMost(Duration.ofSeconds(60)).until(() -> topic().count(activityId) == 3);
        List<EmailEvent> opens = topic().all().stream()
                .map(EventsTopic::event)
                .filter(e -> activityId.equals(e.activityId()))
                .toList();
        List<EmailEvent> human = opens.stream()
                .filter(e -> e.classification() == Classification.HUMAN)
                .toList();
        List<EmailEvent> machine = opens.stream()
                .filter(e -> e.classification() == Classification.MACHINE)
                .toList();
        assertThat(machine).singleElement().satisfies(prefetch -> {
            assertThat(prefetch.client().reasons()).containsExactly("prefetch_header");
            assertThat(prefetch.eventId()).isNotEqualTo(human.get(0).eventId());
        });
        assertThat(human)
                .hasSize(2)
                .extracting(EmailEvent::eventId)
                .containsOnly(human.get(0).eventId());
    }

    @Test
    void aClientsAgentIsCleanedAndCappedBeforeItIsClassifiedOrPublished() {
        String token = codec.encode(TrackingToken.open("act-agent", "t-1"));
        // a tab is the one control character an HTTP header may carry
        String agent = "Mozilla/5.0\t" + "x".repeat(2 * WireText.USER_AGENT_MAX);

        http.get()
                .uri("/t/o/{token}.gif", token)
                .header(HttpHeaders.USER_AGENT, agent)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);

        EmailEvent open = event(topic().awaitActivity("act-agent"));
        assertThat(open.client().userAgent()).startsWith("Mozilla/5.0\uFFFDx").hasSize(WireText.USER_AGENT_MAX);
    }

    @Test
    void anAppleMailPrefetchIsRecordedAsAMachineOpen() {
        String token = codec.encode(TrackingToken.open("act-mpp", "t-1"));

        http.get()
                .uri("/t/o/{token}.gif", token)
                .header(HttpHeaders.USER_AGENT, "Mozilla/5.0")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);

        EmailEvent open = event(topic().awaitActivity("act-mpp"));
        assertThat(open.client().classification()).isEqualTo(Classification.MACHINE);
        assertThat(open.client().reasons()).containsExactly("apple_mpp");
    }

    @Test
    void aBadPixelTokenStillGetsTheGifAndRecordsNothing() {
        http.get()
                .uri("/t/o/{token}.gif", "forged-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(byte[].class)
                .isEqualTo(TrackingController.PIXEL);
    }

    @Test
    void aClickRedirectsToTheBoundUrlAndRecordsTheLink() {
        String url = "https://acme.test/pricing?plan=pro&utm_source=mail";
        String token = codec.encode(TrackingToken.click("act-click", "t-1", 2, url));

        http.get()
                .uri("/t/c/{token}", token)
                .header(HttpHeaders.USER_AGENT, SAFARI)
                .exchange()
                .expectStatus()
                .isFound()
                .expectHeader()
                .valueEquals(HttpHeaders.LOCATION, url);

        EmailEvent click = event(topic().awaitActivity("act-click"));
        assertThat(click.type()).isEqualTo(EmailEventType.CLICKED);
        assertThat(click.source()).isEqualTo(EventSource.TRACKING_REDIRECT);
        assertThat(click.click()).isEqualTo(new EmailEvent.Click(url, 2));
        assertThat(click.classification()).isEqualTo(Classification.HUMAN);
    }

    /**
     * The links a new user's tracked email lost (404 from {@code java.net.URI}, 414 past the server's request line),
     * through the real redirect: Location is the href as written, only what a header cannot carry percent-encoded.
     * The 3.5 KB link is no longer wrapped (HtmlRewriterTests); the longest link that is still redirects.
     */
    @Test
    void oddLinksRedirectToExactlyTheHrefTheSenderWrote() {
        Map<String, String> locations = new LinkedHashMap<>();
        locations.put("https://example.com/a b", "https://example.com/a%20b");
        locations.put("https://example.com/?q=a|b", "https://example.com/?q=a|b");
        locations.put("https://example.com/{id}/view", "https://example.com/{id}/view");
        locations.put("https://example.com/p%zz", "https://example.com/p%zz");
        locations.put(
                " https://bücher.example/straße?q=日本#é\n",
                "https://b%C3%BCcher.example/stra%C3%9Fe?q=%E6%97%A5%E6%9C%AC#%C3%A9");
        String longest = longestWrapped("https://t.example.com");
        locations.put(longest, longest);
        int link = 0;
        for (Map.Entry<String, String> odd : locations.entrySet()) {
            String token = codec.encode(TrackingToken.click("act-odd-" + link, "t-1", link, odd.getKey()));
            link++;

            http.get()
                    .uri("/t/c/{token}", token)
                    .header(HttpHeaders.USER_AGENT, SAFARI)
                    .exchange()
                    .expectStatus()
                    .isFound()
                    .expectHeader()
                    .valueEquals(HttpHeaders.LOCATION, odd.getValue());
        }

        // the click records the link as the browser read it
        EmailEvent click = event(topic().awaitActivity("act-odd-4"));
        assertThat(click.click()).isEqualTo(new EmailEvent.Click("https://bücher.example/straße?q=日本#é", 4));
    }

    /** The longest href whose tracking URL under {@code baseUrl} stays within the sender's cap. */
    private String longestWrapped(String baseUrl) {
        String href = "https://example.com/report?";
        String longer = href;
        while ((baseUrl + "/t/c/" + codec.encode(TrackingToken.click("act-odd-5", "t-1", 5, longer))).length()
                <= TrackingTokenCodec.MAX_URL_CHARS) {
            href = longer;
            longer = href + "filter=region%3Demea&";
        }
        assertThat(href.length()).isGreaterThan(TrackingTokenCodec.MAX_URL_CHARS / 2);
        return href;
    }

    @Test
    void aHeadRequestRedirectsTooButIsAMachine() {
        String token = codec.encode(TrackingToken.click("act-head", "t-1", 0, "https://acme.test/"));

        http.head()
                .uri("/t/c/{token}", token)
                .header(HttpHeaders.USER_AGENT, SAFARI)
                .exchange()
                .expectStatus()
                .isFound()
                .expectHeader()
                .valueEquals(HttpHeaders.LOCATION, "https://acme.test/");

        EmailEvent click = event(topic().awaitActivity("act-head"));
        assertThat(click.client().reasons()).containsExactly("head_request");
    }

    @Test
    void forgedTruncatedOrOpenTokensNeverRedirect() {
        String token = codec.encode(TrackingToken.click("act-x", "t-1", 0, "https://acme.test/"));
        String openToken = codec.encode(TrackingToken.open("act-x", "t-1"));

        for (String bad : new String[] {token.substring(0, token.length() - 2), token + "A", "x", openToken}) {
            http.get()
                    .uri("/t/c/{token}", bad)
                    .exchange()
                    .expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .doesNotExist(HttpHeaders.LOCATION)
                    .expectBody()
                    .jsonPath("$.type")
                    .isEqualTo("https://mailtrail.dev/problems/not-found");
        }
    }

    @Test
    void behindTrustedProxiesTheClientTheyVouchForIsHashedAndClassified() {
        // the left-most entry is the client's own claim; 10.1.2.3 is a second proxy; Apple's 17.58.0.5 the client
        EmailEvent open = openFrom(
                "127.0.0.1", "act-proxied-apple", h -> h.set("X-Forwarded-For", "198.51.100.1, 17.58.0.5, 10.1.2.3"));

        assertThat(open.client().ipHash()).isEqualTo(ipHasher.hash("17.58.0.5"));
        assertThat(open.client().reasons()).containsExactly("apple_mpp");
    }

    @Test
    void aForwardingHeaderFromAnUntrustedPeerIsIgnored() {
        EmailEvent open = openFrom("127.0.0.2", "act-spoofed-apple", h -> {
            h.set("X-Forwarded-For", "17.58.0.5");
            h.set("Forwarded", "for=17.58.0.6");
        });

        assertThat(open.client().ipHash()).isEqualTo(ipHasher.hash("127.0.0.2"));
        assertThat(open.classification()).isEqualTo(Classification.HUMAN);
    }

    @Test
    void anUnreadableHopFromATrustedProxyLeavesThePeerAsTheClient() {
        EmailEvent open = openFrom("127.0.0.1", "act-garbled", h -> h.set("Forwarded", "for=17.58.0.5, for=unknown"));

        assertThat(open.client().ipHash()).isEqualTo(ipHasher.hash("127.0.0.1"));
        assertThat(open.classification()).isEqualTo(Classification.HUMAN);
    }

    @Test
    void fromPrivateRelayEgressAPixelLoadIsAMachineAndAClickAPerson() {
        EmailEvent open =
                openFrom("127.0.0.1", "act-relay-open", h -> h.set("X-Forwarded-For", "2a02:26f7:b3c0:4000::1"));
        String link = codec.encode(TrackingToken.click("act-relay-click", "t-1", 0, "https://acme.test/"));
        Trackings.from(port, "127.0.0.1")
                .get()
                .uri("/t/c/{token}", link)
                .header(HttpHeaders.USER_AGENT, SAFARI)
                .header("X-Forwarded-For", "172.224.226.5")
                .exchange()
                .expectStatus()
                .isFound();
        EmailEvent click = event(topic().awaitActivity("act-relay-click"));

        assertThat(open.client().classification()).isEqualTo(Classification.MACHINE);
        assertThat(open.client().reasons()).containsExactly("apple_private_relay");
        assertThat(click.client().classification()).isEqualTo(Classification.HUMAN);
        assertThat(click.client().ipHash()).isEqualTo(ipHasher.hash("172.224.226.5"));
    }

    /** Safari loads the pixel of {@code activityId} from this loopback address, with these headers: the open. */
    private EmailEvent openFrom(String peer, String activityId, Consumer<HttpHeaders> headers) {
        load(peer, codec.encode(TrackingToken.open(activityId, "t-1")), headers);
        return event(topic().awaitActivity(activityId));
    }

    /** Safari loads the pixel of this token from this loopback address, with these headers. */
    private void load(String peer, String token, Consumer<HttpHeaders> headers) {
        Trackings.from(port, peer)
                .get()
                .uri("/t/o/{token}.gif", token)
                .header(HttpHeaders.USER_AGENT, SAFARI)
                .headers(headers)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);
    }

    private EventsTopic topic() {
        return EventsTopic.events(broker.getBrokersAsString());
    }
}
