package dev.mailtrail.ingest.webhook;

import static dev.mailtrail.ingest.EventsTopic.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireText;
import dev.mailtrail.ingest.EventsTopic;
import dev.mailtrail.ingest.SignedWebhook;
import dev.mailtrail.ingest.web.WarmupPass;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "mailtrail.ingest.max-body-size=8KB"})
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class ResendWebhookIntegrationTests {

    @Autowired
    WebTestClient http;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "email.sent",
                "email.scheduled",
                "email.delivered",
                "email.delivered.tag-array",
                "email.delivery_delayed",
                "email.opened",
                "email.clicked",
                "email.bounced",
                "email.complained",
                "email.failed",
                "email.suppressed"
            })
    void everyFixtureLandsNormalisedAndKeyedByActivity(String fixture) {
        SignedWebhook webhook = SignedWebhook.fixture(fixture);

        ConsumerRecord<String, byte[]> record = acceptedAndPublished(webhook);
        EmailEvent event = event(record);
        assertThat(record.key()).isEqualTo(event.tenantId() + ":" + event.activityId());
        assertThat(event.activityId()).isNotNull();
        assertThat(record.headers().lastHeader("traceparent"))
                .as("W3C trace context for the projection")
                .isNotNull();
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        assertThat("email." + event.type().wire()).isEqualTo(fixture.replace(".tag-array", ""));
    }

    @Test
    void thePublishedRecordContinuesTheWebhooksTrace() {
        SignedWebhook webhook = SignedWebhook.fixture("email.delivered");
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";

        post(webhook, h -> h.set("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"))
                .expectStatus()
                .isAccepted()
                .expectBody(Void.class);

        ConsumerRecord<String, byte[]> record = topic().awaitEvent("resend:" + webhook.svixId());
        // taken from the request's own observation, whichever thread then sends the record
        assertThat(new String(record.headers().lastHeader("traceparent").value(), StandardCharsets.UTF_8))
                .startsWith("00-" + traceId + "-");
    }

    @Test
    void anUntaggedEventIsKeyedByResendsEmailId() {
        SignedWebhook webhook = SignedWebhook.fixture("email.sent.untagged");

        post(webhook).expectStatus().isAccepted().expectBody(Void.class);

        assertThat(topic().awaitEvent("resend:" + webhook.svixId()).key()).isEqualTo("resend:em-untagged-1");
    }

    @Test
    void aWarmupHeaderWithoutThisProcesssPassIsAnOrdinaryWebhookPublishedAndCounted() {
        SignedWebhook webhook = SignedWebhook.fixture("email.sent.untagged");
        double accepted = count("email.sent", "accepted");

        post(webhook, h -> h.set(WarmupPass.HEADER, "guessed"))
                .expectStatus()
                .isAccepted()
                .expectBody(Void.class);

        assertThat(topic().awaitEvent("resend:" + webhook.svixId()).key()).isEqualTo("resend:em-untagged-1");
        assertThat(count("email.sent", "accepted") - accepted).isEqualTo(1.0);
    }

    @Test
    void aBadSignatureIsRefusedWithProblemJsonAndNothingIsPublished() {
        SignedWebhook genuine = SignedWebhook.fixture("email.delivered");
        String tampered = genuine.body().replace("act-123", "act-999");
        SignedWebhook forged = new SignedWebhook(genuine.svixId(), genuine.timestamp(), tampered, genuine.signature());
        double before = count("none", "invalid_signature");

        post(forged)
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/invalid-signature")
                .jsonPath("$.title")
                .isEqualTo("Invalid signature")
                .jsonPath("$.status")
                .isEqualTo(401);

        assertThat(count("none", "invalid_signature")).isEqualTo(before + 1);
        // a genuine webhook after the forged one: once it is on the topic, the forged one would be too
        SignedWebhook marker = SignedWebhook.fixture("email.delivered");
        post(marker).expectStatus().isAccepted().expectBody(Void.class);
        topic().awaitEvent("resend:" + marker.svixId());
        assertThat(topic().all()).extracting(r -> event(r).activityId()).doesNotContain("act-999");
    }

    @Test
    void aRedeliveredWebhookIsAnsweredAgainButPublishedOnce() {
        SignedWebhook webhook = SignedWebhook.fixture("email.delivered");
        double before = count("email.delivered", "duplicate");

        post(webhook).expectStatus().isAccepted().expectBody(Void.class);
        post(webhook)
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.eventId")
                .isEqualTo("resend:" + webhook.svixId());

        assertThat(count("email.delivered", "duplicate")).isEqualTo(before + 1);
        assertThat(topic().all())
                .filteredOn(r -> event(r).eventId().equals("resend:" + webhook.svixId()))
                .hasSize(1);
    }

    @Test
    void aWebhookSignedUnderTheStandardWebhooksNamesIsPublishedUnderItsWebhookId() {
        SignedWebhook webhook = SignedWebhook.fixture("email.delivered");

        post(webhook.standardHeaders(), webhook.bytes())
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.eventId")
                .isEqualTo("resend:" + webhook.svixId());

        assertThat(event(topic().awaitEvent("resend:" + webhook.svixId()))
                        .type()
                        .wire())
                .isEqualTo("delivered");
    }

    @Test
    void anUnsignedSvixIdBesideVerifiedStandardHeadersNeverBecomesTheEventId() {
        SignedWebhook webhook = SignedWebhook.fixture("email.delivered");
        String chosen = "msg_chosen_by_the_sender_" + webhook.timestamp();
        Map<String, List<String>> headers = new HashMap<>(webhook.standardHeaders());
        headers.put("svix-id", List.of(chosen));
        headers.put("svix-timestamp", List.of(Long.toString(webhook.timestamp())));

        post(headers, webhook.bytes())
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.eventId")
                .isEqualTo("resend:" + webhook.svixId());

        topic().awaitEvent("resend:" + webhook.svixId());
        assertThat(topic().all()).extracting(r -> event(r).eventId()).doesNotContain("resend:" + chosen);
    }

    @Test
    void aCompleteSvixFamilySignedForAnotherBodyIsRefusedEvenBesideValidStandardHeaders() {
        SignedWebhook webhook = SignedWebhook.fixture("email.delivered");
        SignedWebhook other = SignedWebhook.fixture("email.opened");
        Map<String, List<String>> headers = new HashMap<>(webhook.standardHeaders());
        headers.putAll(other.headers());

        post(headers, webhook.bytes())
                .expectStatus()
                .isUnauthorized()
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/invalid-signature");
    }

    @Test
    void aVerifiedTypeWeDoNotModelIsAcknowledgedAndKeptRaw() {
        SignedWebhook webhook = SignedWebhook.fixture("contact.created");

        post(webhook).expectStatus().isAccepted().expectBody(Void.class);

        ConsumerRecord<String, byte[]> raw = new EventsTopic(broker.getBrokersAsString(), Topics.WEBHOOKS_UNRECOGNIZED)
                .await(r -> r.key().equals(webhook.svixId()));
        assertThat(new String(raw.value(), StandardCharsets.UTF_8)).isEqualTo(webhook.body());
        assertThat(count("contact.*", "unrecognized_type")).isPositive();
    }

    @Test
    void aSignedInboundEmailLandsOnTheEventsTopicAsInboundReceivedKeyedByItsIdNotKeptRaw() {
        SignedWebhook webhook = SignedWebhook.fixture("email.received");

        ConsumerRecord<String, byte[]> record = acceptedAndPublished(webhook);
        EmailEvent event = event(record);
        assertThat(record.key()).isEqualTo("resend:in-1");
        assertThat(event.type()).isEqualTo(EmailEventType.INBOUND_RECEIVED);
        assertThat(event.activityId())
                .as("no activity yet: the reply matcher finds it")
                .isNull();
        assertThat(event.providerMessageId()).isEqualTo("in-1");
        assertThat(event.recipients()).containsExactly("inbox@acme.test");
        assertThat(event.subject()).isEqualTo("Re: proposal");
        assertThat(new EventsTopic(broker.getBrokersAsString(), Topics.WEBHOOKS_UNRECOGNIZED).all())
                .noneMatch(r -> webhook.svixId().equals(r.key()));
    }

    @Test
    void aVerifiedBodyThatIsNotAnEventIsMalformed() {
        post(SignedWebhook.of("{\"type\":\"email.sent\",\"data\":{}}"))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/malformed-payload")
                .jsonPath("$.detail")
                .isEqualTo("missing 'created_at'");
        post(SignedWebhook.of("[1,2,3]")).expectStatus().isBadRequest().expectBody(Void.class);
    }

    @Test
    void aSignedWebhookWithNulAndLoneSurrogatesIsAcceptedAndPublishedClean() {
        // JSON escapes, as Resend would send them: the signature covers exactly these bytes
        SignedWebhook webhook = SignedWebhook.of("""
                {"type":"email.clicked","created_at":"2026-11-26T11:00:05Z",
                 "data":{"email_id":"em-dirty-1","to":["a\\u0000b@resend.dev"],"subject":"Hi\\u0000there\\ud800 %s",
                  "tags":{"activity_id":"act-dirty","tenant_id":"t-1"},
                  "click":{"link":"https://acme.test/\\u0000\\udc00x","userAgent":"Mozilla/5.0","ipAddress":"203.0.113.7"}}}""".formatted("s".repeat(2 * WireText.SUBJECT_MAX)));

        post(webhook).expectStatus().isAccepted().expectBody(Void.class);

        EmailEvent event = event(topic().awaitEvent("resend:" + webhook.svixId()));
        assertThat(event.subject()).startsWith("Hi\uFFFDthere\uFFFD s").hasSize(WireText.SUBJECT_MAX);
        assertThat(event.recipients()).containsExactly("a\uFFFDb@resend.dev");
        assertThat(event.click().url()).isEqualTo("https://acme.test/\uFFFD\uFFFDx");
        assertThat(event.activityId()).isEqualTo("act-dirty");
    }

    @Test
    void aTimestampOutsideTheWireYearsBecomesTheTimeReceived() {
        for (String createdAt : new String[] {"0001-01-01T00:00:00Z", "+99999-01-01T00:00:00Z"}) {
            SignedWebhook webhook = SignedWebhook.of("""
                    {"type":"email.delivered","created_at":"%s","data":{"email_id":"em-when-1",
                     "tags":{"activity_id":"act-when","tenant_id":"t-1"}}}""".formatted(createdAt));

            post(webhook).expectStatus().isAccepted().expectBody(Void.class);

            EmailEvent event = event(topic().awaitEvent("resend:" + webhook.svixId()));
            assertThat(event.occurredAt())
                    .as(createdAt)
                    .isEqualTo(event.receivedAt())
                    .isAfter(Instant.now().minusSeconds(600));
        }
    }

    @Test
    void aWebhookWhoseIdCannotBeOursIs400NamingItAndNothingIsPublished() {
        String longId = "m".repeat(200);
        String delivered = SignedWebhook.read("email.delivered");
        SignedWebhook longSvixId = SignedWebhook.signedWith(
                SignedWebhook.DEV_SECRET, longId, delivered, Instant.now().getEpochSecond());
        SignedWebhook longEmailId = SignedWebhook.of(delivered.replace("4ef9a417-02e9-4d39-ad75-9611e0fcc33c", longId));
        double before = count("email.delivered", "malformed");

        post(longSvixId)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/validation")
                .jsonPath("$.errors[0].field")
                .isEqualTo("svix-id")
                .jsonPath("$.errors[0].message")
                .isEqualTo("must be at most 128 characters");
        post(longEmailId)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/validation")
                .jsonPath("$.errors[0].field")
                .isEqualTo("data.email_id");
        // the signature is still checked first, over the exact bytes: a forged long id is 401, not 400
        SignedWebhook forged = new SignedWebhook(longId, longSvixId.timestamp(), delivered, longEmailId.signature());
        post(forged).expectStatus().isUnauthorized().expectBody(Void.class);

        assertThat(count("email.delivered", "malformed")).isEqualTo(before + 2);
        SignedWebhook marker = SignedWebhook.fixture("email.delivered");
        post(marker).expectStatus().isAccepted().expectBody(Void.class);
        topic().awaitEvent("resend:" + marker.svixId());
        assertThat(topic().all())
                .extracting(r -> event(r).eventId())
                .doesNotContain("resend:" + longId, "resend:" + longEmailId.svixId());
    }

    @Test
    void aNonJsonContentTypeIsRefusedBeforeTheSignatureIsChecked() {
        http.post()
                .uri("/api/webhooks/resend")
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("hello")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/unsupported-media-type");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWhetherDeclaredOrStreamed() {
        byte[] large = ("{\"pad\":\"" + "x".repeat(9000) + "\"}").getBytes(StandardCharsets.UTF_8);

        http.post()
                .uri("/api/webhooks/resend")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(large)
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/payload-too-large");
        // no Content-Length: chunks until the limit is crossed
        Flux<org.springframework.core.io.buffer.DataBuffer> chunks =
                Flux.range(0, 10).map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[1024]));
        http.post()
                .uri("/api/webhooks/resend")
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks, org.springframework.core.io.buffer.DataBuffer.class)
                .exchange()
                .expectStatus()
                .isEqualTo(413)
                .expectBody(Void.class);
    }

    @Test
    void theBenchBaselineDoesNotExistOutsideTheBenchProfile() {
        http.post()
                .uri("/bench/noop")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/not-found");
    }

    @Test
    void anUnknownRouteOrAMethodARouteDoesNotTakeIsProblemJson() {
        http.get()
                .uri("/api/webhooks/nope")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/not-found")
                .jsonPath("$.status")
                .isEqualTo(404);
        http.get()
                .uri("/api/webhooks/resend")
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .valueEquals(HttpHeaders.ALLOW, "POST")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/method-not-allowed");
        http.delete()
                .uri("/t/o/x.gif")
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(405);
    }

    /** Posts the webhook, expects 202 naming its event id, and the record published under that id. */
    private ConsumerRecord<String, byte[]> acceptedAndPublished(SignedWebhook webhook) {
        post(webhook)
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.eventId")
                .isEqualTo("resend:" + webhook.svixId());
        return topic().awaitEvent("resend:" + webhook.svixId());
    }

    private WebTestClient.ResponseSpec post(SignedWebhook webhook) {
        return post(webhook.headers(), webhook.bytes(), h -> {});
    }

    private WebTestClient.ResponseSpec post(SignedWebhook webhook, Consumer<HttpHeaders> moreHeaders) {
        return post(webhook.headers(), webhook.bytes(), moreHeaders);
    }

    private WebTestClient.ResponseSpec post(Map<String, List<String>> headers, byte[] body) {
        return post(headers, body, h -> {});
    }

    private WebTestClient.ResponseSpec post(
            Map<String, List<String>> headers, byte[] body, Consumer<HttpHeaders> moreHeaders) {
        return http.post()
                .uri("/api/webhooks/resend")
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> headers.forEach(h::put))
                .headers(moreHeaders)
                .bodyValue(body)
                .exchange();
    }

    private EventsTopic topic() {
        return EventsTopic.events(broker.getBrokersAsString());
    }

    private double count(String type, String outcome) {
        var counter = meters.find("mailtrail.webhook.received")
                .tag("type", type)
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
