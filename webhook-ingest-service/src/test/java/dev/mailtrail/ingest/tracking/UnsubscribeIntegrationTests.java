package dev.mailtrail.ingest.tracking;

import static dev.mailtrail.ingest.EventsTopic.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.EventsTopic;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

/** {@code /u/{token}}: the page, the one-click POST, and everything that must not unsubscribe. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "mailtrail.tracking.limits.client-per-minute=3"})
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class UnsubscribeIntegrationTests {

    static final String ONE_CLICK = "List-Unsubscribe=One-Click";

    @Autowired
    WebTestClient http;

    @Autowired
    TrackingTokenCodec codec;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void theOneClickPostPublishesUnsubscribedOnceKafkaHasItAndAnswersAnEmptyBody() {
        String token =
                codec.encode(TrackingToken.unsubscribe("act-unsub", "t-1").forRecipient(1));

        byte[] body = post(token, MediaType.APPLICATION_FORM_URLENCODED, ONE_CLICK)
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();

        assertThat(body).isNullOrEmpty();
        EmailEvent unsubscribed = event(topic().awaitActivity("act-unsub"));
        assertThat(unsubscribed.type()).isEqualTo(EmailEventType.UNSUBSCRIBED);
        assertThat(unsubscribed.source()).isEqualTo(EventSource.UNSUBSCRIBE_LINK);
        assertThat(unsubscribed.tenantId()).isEqualTo("t-1");
        assertThat(unsubscribed.tags()).isEqualTo(Recipients.tag(1));
        assertThat(unsubscribed.eventId()).isEqualTo("unsubscribe:t-1:act-unsub:1");
        assertThat(unsubscribed.client()).isNull();

        // a mail client retrying is the same fact: the same event id, which the projection drops
        post(token, MediaType.APPLICATION_FORM_URLENCODED, ONE_CLICK)
                .expectStatus()
                .isOk();
        assertThat(topic().all())
                .filteredOn(r -> "act-unsub".equals(event(r).activityId()))
                .extracting(r -> event(r).eventId())
                .containsOnly("unsubscribe:t-1:act-unsub:1");
    }

    @Test
    void aMultipartOneClickPostUnsubscribesToo() {
        String token = codec.encode(TrackingToken.unsubscribe("act-multipart", "t-1"));
        MultipartBodyBuilder form = new MultipartBodyBuilder();
        form.part("List-Unsubscribe", "One-Click");

        http.post()
                .uri("/u/{token}", token)
                .body(BodyInserters.fromMultipartData(form.build()))
                .exchange()
                .expectStatus()
                .isOk();

        assertThat(event(topic().awaitActivity("act-multipart")).eventId()).isEqualTo("unsubscribe:t-1:act-multipart");
    }

    @Test
    void aGetShowsAConfirmationPageThatPostsTheFormAndChangesNothing() {
        String token = codec.encode(TrackingToken.unsubscribe("act-get-only", "t-1"));

        String page = http.get()
                .uri("/u/{token}", token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader()
                .valueEquals("Content-Security-Policy", UnsubscribePage.CONTENT_SECURITY_POLICY)
                .expectHeader()
                .valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();

        assertThat(page)
                .contains("<form method=\"post\">")
                .contains("name=\"List-Unsubscribe\" value=\"One-Click\"")
                .doesNotContain("http://", "https://", "<script", "src=");
        // the page's own form: the person gets a page back
        assertThat(post(token, MediaType.APPLICATION_FORM_URLENCODED, ONE_CLICK + "&from=page")
                        .expectStatus()
                        .isOk()
                        .expectBody(String.class)
                        .returnResult()
                        .getResponseBody())
                .contains("You are unsubscribed");
        assertThat(topic().count("act-get-only")).isEqualTo(1);

        String another = codec.encode(TrackingToken.unsubscribe("act-never-posted", "t-1"));
        http.get().uri("/u/{token}", another).exchange().expectStatus().isOk();
        http.head().uri("/u/{token}", another).exchange().expectStatus().isOk();
        post(
                        codec.encode(TrackingToken.unsubscribe("act-after-get", "t-1")),
                        MediaType.APPLICATION_FORM_URLENCODED,
                        ONE_CLICK)
                .expectStatus()
                .isOk();
        topic().awaitActivity("act-after-get");
        assertThat(topic().count("act-never-posted")).isZero();
    }

    @Test
    void aForgedOrOtherKindOfTokenIsA404PageAndPublishesNothing() {
        String open = codec.encode(TrackingToken.open("act-forged", "t-1"));
        String valid = codec.encode(TrackingToken.unsubscribe("act-forged", "t-1"));
        String forged = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BB" : "AA");

        for (String token : new String[] {open, forged, "not-a-token"}) {
            http.get()
                    .uri("/u/{token}", token)
                    .exchange()
                    .expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                    .expectBody(String.class)
                    .value(page -> assertThat(page).contains("not valid"));
            post(token, MediaType.APPLICATION_FORM_URLENCODED, ONE_CLICK)
                    .expectStatus()
                    .isNotFound();
        }
        assertThat(topic().count("act-forged")).isZero();
    }

    @Test
    void aBodyThatIsNotTheOneClickFormIsRefusedNamingTheField() {
        String token = codec.encode(TrackingToken.unsubscribe("act-bad-body", "t-1"));

        for (String body : new String[] {"", "List-Unsubscribe=Yes", "unsubscribe=One-Click", "%zz"}) {
            post(token, MediaType.APPLICATION_FORM_URLENCODED, body)
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type")
                    .isEqualTo("https://mailtrail.dev/problems/validation")
                    .jsonPath("$.errors[0].field")
                    .isEqualTo("List-Unsubscribe");
        }
        post(token, MediaType.APPLICATION_JSON, "{\"List-Unsubscribe\":\"One-Click\"}")
                .expectStatus()
                .isEqualTo(415);
        post(token, MediaType.APPLICATION_FORM_URLENCODED, ONE_CLICK + "&pad=" + "x".repeat(4096))
                .expectStatus()
                .isEqualTo(413);
        http.post()
                .uri("/u/{token}", token)
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .bodyValue("--no-boundary".getBytes(StandardCharsets.US_ASCII))
                .exchange()
                .expectStatus()
                .isBadRequest();
        assertThat(topic().count("act-bad-body")).isZero();
    }

    @Test
    void aLinkOverItsRateLimitIsToldToRetryLater() {
        String token = codec.encode(TrackingToken.unsubscribe("act-flood", "t-1"));

        for (int i = 0; i < 3; i++) {
            post(token, MediaType.APPLICATION_FORM_URLENCODED, ONE_CLICK)
                    .expectStatus()
                    .isOk();
        }
        post(token, MediaType.APPLICATION_FORM_URLENCODED, ONE_CLICK)
                .expectStatus()
                .isEqualTo(503)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER);
    }

    private WebTestClient.ResponseSpec post(String token, MediaType type, String body) {
        return http.post()
                .uri("/u/{token}", token)
                .contentType(type)
                .bodyValue(body.getBytes(StandardCharsets.US_ASCII))
                .exchange();
    }

    private EventsTopic topic() {
        return EventsTopic.events(broker.getBrokersAsString());
    }
}
