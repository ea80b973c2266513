package dev.mailtrail.send.sending;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static dev.mailtrail.send.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.KafkaRecords;
import dev.mailtrail.send.ResendSimulator;
import dev.mailtrail.send.ResendSimulator.FrontDoor.Failure;
import dev.mailtrail.send.TestDatabase;
import dev.mailtrail.send.projection.ActivityStateRepository;
import dev.mailtrail.send.resend.ResendOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.postgresql.codec.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * The send path end to end: HTTP and Kafka entry, real Kafka, real PostgreSQL, and the resend-simulator over HTTP
 * (in this JVM, see {@link ResendSimulator}). Retries back off in milliseconds here.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token,tenant-token:t-1,t2-token:t-2",
            "mailtrail.kafka.partitions=2",
            "mailtrail.outbox.poll-interval=200ms",
            "mailtrail.send.poll-interval=100ms",
            "mailtrail.send.backoff-initial=100ms",
            "mailtrail.send.backoff-max=1s",
            "mailtrail.resend.connect-timeout=2s",
            "mailtrail.resend.response-timeout=3s",
            "mailtrail.tenant-sender-domains=t-1:mailtrail.dev,t-1:example.com,t-1:unverified.test,"
                    + "t-2:mailtrail.dev"
        })
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class SendPathIntegrationTests {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Map<String, Boolean> TRACKED = Map.of("opens", true, "clicks", true);
    /** The send-service's own tracking keys (application.yml's development key). */
    static final TrackingTokenCodec TRACKING =
            new TrackingTokenCodec(TrackingKeys.parse("dev:w5rnbY4WUvI040/MpnD6Zd74LxoI9OhWyJg7axn2AxY="));

    static final String FOREIGN_FROM = "\"john doe\"@example.com"; // valid to us, refused by the simulator (and Resend)

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        registry.add("mailtrail.resend.base-url", ResendSimulator::url);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Sender sender;

    @Autowired
    ActivityStateRepository states;

    final WebTestClient simulator = ResendSimulator.client();

    /** Every test leaves nothing to send (other contexts share the database), then a fresh simulator. */
    @AfterEach
    void finishSendingAndResetTheSimulator() {
        if (!sender.isRunning()) {
            sender.start();
        }
        await().atMost(PATIENCE).until(() -> count("send_request WHERE status = $1", "QUEUED") == 0);
        simulator.post().uri("/_simulator/reset").exchange().expectStatus().isNoContent();
    }

    /** The tenants' suppression lists start empty (other classes' facts may have listed their addresses). */
    @BeforeEach
    void emptySuppressionLists() {
        db.sql("DELETE FROM suppression WHERE tenant_id IN ('t-1', 't-2')")
                .then()
                .block();
    }

    /**
     * Issue 22's done-when: after bounced@resend.dev hard-bounces for a tenant (Resend's bounce as the ingest publishes
     * it), that tenant's next send to it ends SUPPRESSED with the reason and Resend is never called; another tenant's
     * send to it is not affected; DELETE lifts it.
     */
    @Test
    void afterAHardBounceTheTenantsNextSendIsSuppressedWithoutACallAnotherTenantsIsNotAndDeleteLiftsIt() {
        String first = newId();
        Map<String, Object> body = email(first);
        body.put("to", List.of("Bounce <bounced@resend.dev>"));
        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        awaitRequest(first, "SENT");
        JsonNode sent = onlyEmail(first);
        EmailEvents.publish(
                kafka,
                List.of(event(EmailEventType.BOUNCED)
                        .id("resend:bounced:" + sent.at("/id").asString())
                        .activity(first)
                        .message(sent.at("/id").asString())
                        .to("bounced@resend.dev")
                        .bounce("Permanent", "no such mailbox")
                        .build()));
        await().atMost(PATIENCE)
                .until(() -> count("suppression WHERE tenant_id = 't-1' AND address = $1", "bounced@resend.dev") == 1);

        String next = newId();
        Map<String, Object> again = email(next);
        again.put("to", List.of("BOUNCED@resend.dev "));
        JsonNode accepted = json(post(again, "dev-token").expectStatus().isAccepted());
        assertThat(accepted.at("/status").asString()).isEqualTo("SUPPRESSED");
        assertThat(accepted.at("/suppressed").toString())
                .isEqualTo("[{\"email\":\"bounced@resend.dev\",\"reason\":\"hard_bounce\"}]");
        activity(next)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("SUPPRESSED")
                .jsonPath("$.failureReason")
                .isEqualTo("suppressed: hard_bounce");
        http.get()
                .uri("/api/crm/activities/{id}/timeline", next)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectBody()
                .jsonPath("$.events[1].type")
                .isEqualTo("suppressed");
        assertThat(request(next).get("status")).isEqualTo("SUPPRESSED");

        String otherTenant = newId();
        Map<String, Object> theirs = email(otherTenant);
        theirs.put("tenantId", "t-2");
        theirs.put("to", List.of("bounced@resend.dev"));
        post(theirs, "t2-token")
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.suppressed")
                .isEmpty();
        awaitRequest(otherTenant, "SENT");

        http.delete()
                .uri("/api/crm/suppressions?email=bounced@resend.dev")
                .header(HttpHeaders.AUTHORIZATION, "Bearer tenant-token")
                .exchange()
                .expectStatus()
                .isNoContent();
        String lifted = newId();
        Map<String, Object> afterDelete = email(lifted);
        afterDelete.put("to", List.of("bounced@resend.dev"));
        post(afterDelete, "dev-token").expectStatus().isAccepted();
        awaitRequest(lifted, "SENT");
        // Resend never saw the suppressed activity
        assertThat(emails(next)).isEmpty();
        assertThat(onlyEmail(lifted).at("/request/to").toString()).isEqualTo("[\"bounced@resend.dev\"]");
    }

    /** Suppressed recipients are dropped before the email is split: the others get their messages, the 202 says who. */
    @Test
    void aSuppressedCcIsDroppedBeforeTheSplitAndThe202NamesIt() {
        suppress("t-1", "complained@resend.dev");
        String id = newId();
        Map<String, Object> body = email(id);
        body.put("cc", List.of("Complainer <Complained@Resend.dev>"));
        body.put("bcc", List.of("archive@example.com"));
        body.put("tracking", TRACKED);

        JsonNode accepted = json(post(body, "dev-token").expectStatus().isAccepted());

        assertThat(accepted.at("/status").asString()).isEqualTo("QUEUED");
        assertThat(accepted.at("/suppressed/0/email").asString()).isEqualTo("complained@resend.dev");
        assertThat(accepted.at("/suppressed/0/reason").asString()).isEqualTo("manual");
        await().atMost(PATIENCE).until(() -> count("send_request WHERE activity_id = $1 AND status = 'SENT'", id) == 2);
        assertThat(emails(id))
                .extracting(e -> e.at("/request/to/0").asString())
                .containsExactlyInAnyOrder("delivered@resend.dev", "archive@example.com");
    }

    /** An entry made after acceptance stops the email before its first attempt: SUPPRESSED, no call. */
    @Test
    void anEntryMadeAfterAcceptanceStopsTheFirstAttempt() {
        String id = newId();
        String partly = newId();
        Map<String, Object> two = email(partly);
        two.put("to", List.of("delivered@resend.dev", "archive@example.com"));
        sender.stop();
        post(email(id), "dev-token")
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.suppressed")
                .isEmpty();
        post(two, "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        suppress("t-1", "delivered@resend.dev");
        sender.start();

        awaitRequest(id, "SUPPRESSED");
        awaitRequest(partly, "SENT");
        assertThat(emails(id)).isEmpty();
        assertThat(onlyEmail(partly).at("/request/to").toString()).isEqualTo("[\"archive@example.com\"]");
        await().atMost(PATIENCE)
                .untilAsserted(() -> activity(id)
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("SUPPRESSED")
                        .jsonPath("$.failureReason")
                        .isEqualTo("suppressed: manual"));
    }

    private void suppress(String tenant, String email) {
        http.post()
                .uri("/api/crm/suppressions")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("tenantId", tenant, "email", email, "reason", "manual"))
                .exchange()
                .expectStatus()
                .isCreated();
    }

    @Test
    void anAcceptedEmailReadsQueuedAtOnceAndIsSentWithOurKeyAndTags() {
        String id = newId();
        double duplicatesBefore = counter("mailtrail.projection.events", "type", "queued", "outcome", "duplicate");
        Map<String, Object> body = email(id);
        body.put("cc", List.of("Carbon <cc@example.com>"));
        body.put("replyTo", "Sales <sales@example.com>");

        // no sender while the state is read: the read right after acceptance must not race the send
        sender.stop();
        post(body, "dev-token")
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .location("/api/crm/activities/" + id + "?tenantId=t-1")
                .expectBody()
                .jsonPath("$.activityId")
                .isEqualTo(id)
                .jsonPath("$.status")
                .isEqualTo("QUEUED");
        activity(id).expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("QUEUED");
        sender.start();

        awaitRequest(id, "SENT");
        JsonNode email = onlyEmail(id);
        assertThat(email.at("/request_headers/Idempotency-Key").asString()).isEqualTo("send/t-1/" + id);
        assertThat(email.at("/request")).isEqualTo(WireJson.mapper().readTree("""
                {"from":"Mailtrail Tests <tests@mailtrail.dev>","to":["delivered@resend.dev"],
                 "cc":["Carbon <cc@example.com>"],"reply_to":"Sales <sales@example.com>","subject":"Hello %1$s",
                 "html":"<p>Hello <a href=\\"https://acme.test/pricing\\">pricing</a></p>","text":"Hello",
                 "tags":[{"name":"activity_id","value":"%1$s"},{"name":"tenant_id","value":"t-1"},
                         {"name":"campaign","value":"spring_2026"}]}""".formatted(id)));
        JsonNode call = json(simulator
                .get()
                .uri("/_simulator/last-request")
                .exchange()
                .expectStatus()
                .isOk());
        assertThat(call.at("/path").asString()).isEqualTo("/emails");
        assertThat(call.at("/headers/authorization/0").asString()).isEqualTo("Bearer ***");
        assertThat(call.at("/headers/idempotency-key/0").asString()).isEqualTo("send/t-1/" + id);

        String messageId = request(id).get("provider_message_id");
        assertThat(messageId).isEqualTo(email.at("/id").asString());
        await().atMost(PATIENCE)
                .untilAsserted(() -> activity(id)
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("SENT")
                        .jsonPath("$.messageId")
                        .isEqualTo(messageId));
        // our queued fact came back through Kafka and was recognised
        await().atMost(PATIENCE)
                .until(() -> counter("mailtrail.projection.events", "type", "queued", "outcome", "duplicate")
                        > duplicatesBefore);
    }

    /**
     * Issue 20's done-when: a tracked email to delivered@resend.dev with bounced@resend.dev in cc (and a blind copy)
     * goes out in one batch call as one message per recipient, each to that address alone with its own tokens and
     * recipient tag (the blind copy untracked); Resend's delivery of the first and bounce of the cc (as the ingest
     * publishes them, our tags echoed) leave the activity DELIVERED with one bounced recipient listed, and an open
     * through the first recipient's pixel is that recipient's.
     */
    @Test
    void aTrackedEmailToSeveralRecipientsIsOneMessageEachAndABouncedCcLeavesItDeliveredWithOneProblem() {
        String id = newId();
        Map<String, Object> body = email(id);
        body.put("cc", List.of("Bounce <bounced@resend.dev>"));
        // a blind copy to a recipient already in to is that recipient's message
        body.put("bcc", List.of("archive@example.com", "DELIVERED@resend.dev"));
        body.put("tracking", TRACKED);

        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);

        await().atMost(PATIENCE).until(() -> count("send_request WHERE activity_id = $1 AND status = 'SENT'", id) == 3);
        List<JsonNode> messages = emails(id).stream()
                .sorted(Comparator.comparing(e -> tag(e, Recipients.TAG)))
                .toList();
        assertThat(messages).extracting(e -> tag(e, Recipients.TAG)).containsExactly("0", "1", "2");
        assertThat(messages)
                .extracting(e -> e.at("/request/to").toString())
                .containsExactly(
                        "[\"delivered@resend.dev\"]", "[\"Bounce <bounced@resend.dev>\"]", "[\"archive@example.com\"]");
        assertThat(messages)
                .allSatisfy(e -> assertThat(e.at("/request/cc").isMissingNode()).isTrue());
        assertThat(messages)
                .allSatisfy(
                        e -> assertThat(e.at("/request/bcc").isMissingNode()).isTrue());
        assertThat(db.sql("SELECT DISTINCT dispatch_key FROM send_request WHERE activity_id = $1")
                        .bind(0, id)
                        .map(row -> row.get(0, String.class))
                        .all()
                        .collectList()
                        .block())
                .singleElement()
                .asString()
                .startsWith("batch/");
        List<TrackingToken> pixels = messages.stream()
                .map(e -> pixel(e.at("/request/html").asString()))
                .toList();
        assertThat(pixels.get(0).recipient()).isZero();
        assertThat(pixels.get(1).recipient()).isEqualTo(1);
        assertThat(pixels.get(2)).as("the blind copy is untracked").isNull();
        assertThat(messages.get(2).at("/request/html").asString()).isEqualTo(body.get("html"));

        Instant delivered = Instant.now().minusSeconds(3600);
        EmailEvents.publish(
                kafka,
                List.of(
                        resend(EmailEventType.DELIVERED, id, messages.get(0), 0, delivered)
                                .build(),
                        resend(EmailEventType.BOUNCED, id, messages.get(1), 1, delivered)
                                .bounce("Permanent", "no such mailbox")
                                .build()));

        await().atMost(PATIENCE)
                .untilAsserted(() -> activity(id)
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("DELIVERED")
                        .jsonPath("$.bouncedAt")
                        .isEmpty()
                        .jsonPath("$.badge.problems")
                        .isEqualTo(1)
                        .jsonPath("$.recipients[0].email")
                        .isEqualTo("delivered@resend.dev")
                        .jsonPath("$.recipients[0].status")
                        .isEqualTo("DELIVERED")
                        .jsonPath("$.recipients[1].email")
                        .isEqualTo("bounced@resend.dev")
                        .jsonPath("$.recipients[1].status")
                        .isEqualTo("BOUNCED")
                        .jsonPath("$.recipients[1].bounce.message")
                        .isEqualTo("no such mailbox")
                        .jsonPath("$.recipients[2].email")
                        .isEqualTo("archive@example.com")
                        .jsonPath("$.recipients[2].status")
                        .isEqualTo("SENT"));

        // the open through recipient 0's pixel, as the ingest publishes it (the token's recipient in its tags)
        EmailEvents.publish(
                kafka,
                List.of(event(EmailEventType.OPENED)
                        .id("open:" + id)
                        .activity(id)
                        .from(EventSource.TRACKING_PIXEL)
                        .message(null)
                        .to((String) null)
                        .by(Classification.HUMAN, "safari")
                        .at(delivered.plusSeconds(600))
                        .tags(Recipients.tag(pixels.get(0).recipient()))
                        .build()));

        await().atMost(PATIENCE)
                .untilAsserted(() -> activity(id)
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("OPENED")
                        .jsonPath("$.openCount")
                        .isEqualTo(1)
                        .jsonPath("$.recipients[0].openCount")
                        .isEqualTo(1)
                        .jsonPath("$.recipients[0].status")
                        .isEqualTo("OPENED")
                        .jsonPath("$.recipients[1].openCount")
                        .isEqualTo(0));
    }

    /** Resend's webhook for one recipient's message as the ingest publishes it: our tags come back with it. */
    private static EmailEvents resend(
            EmailEventType type, String activityId, JsonNode message, int recipient, Instant at) {
        return event(type)
                .id("resend:" + type.wire() + ":" + message.at("/id").asString())
                .activity(activityId)
                .message(message.at("/id").asString())
                .to((String) null)
                .at(at)
                .recipient(recipient);
    }

    /** The open token of a message's pixel, null when it has none. */
    private static TrackingToken pixel(String html) {
        Matcher pixel = Pattern.compile("/t/o/([A-Za-z0-9_-]+)").matcher(html);
        return pixel.find() ? TRACKING.decode(pixel.group(1)).orElseThrow() : null;
    }

    @Test
    void theSameCommandOnKafkaGivesTheSameResultAsOverHttp() {
        String overHttp = newId();
        String overKafka = newId();
        double kafkaAccepted = counter("mailtrail.send.accepted", "entry", "kafka", "outcome", "accepted");

        post(email(overHttp), "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        command(overKafka, email(overKafka));

        awaitRequest(overHttp, "SENT");
        awaitRequest(overKafka, "SENT");
        assertThat(onlyEmail(overKafka).at("/request").toString().replace(overKafka, "ID"))
                .isEqualTo(onlyEmail(overHttp).at("/request").toString().replace(overHttp, "ID"));
        assertThat(counter("mailtrail.send.accepted", "entry", "kafka", "outcome", "accepted"))
                .isEqualTo(kafkaAccepted + 1);
        for (String id : List.of(overHttp, overKafka)) {
            await().atMost(PATIENCE)
                    .untilAsserted(() -> activity(id)
                            .expectBody()
                            .jsonPath("$.status")
                            .isEqualTo("SENT")
                            .jsonPath("$.tenantId")
                            .isEqualTo("t-1")
                            .jsonPath("$.recipient")
                            .isEqualTo("delivered@resend.dev"));
        }
    }

    @Test
    void theSameRequestAgainIsAcceptedAgainAndADifferentOneForTheActivityIsAConflict() {
        String id = newId();
        Map<String, Object> body = email(id);

        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        post(body, "dev-token")
                .expectStatus()
                .isAccepted()
                .expectBody()
                .jsonPath("$.activityId")
                .isEqualTo(id)
                .jsonPath("$.status")
                .exists();
        body.put("subject", "Another subject");
        post(body, "dev-token")
                .expectStatus()
                .isEqualTo(409)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/conflict");

        awaitRequest(id, "SENT");
        assertThat(emails(id)).hasSize(1);
    }

    @Test
    void validationErrorsNameEachField() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activityId", "not an id!");
        body.put("tenantId", "");
        body.put("from", "nobody");
        body.put("to", List.of());
        body.put("cc", List.of("ok@example.com", "broken@"));
        body.put("replyTo", "x <y");
        body.put("subject", " ");
        body.put("text", "");
        body.put("tags", Map.of("activity_id", "mine", "campaign", "spring 2026"));

        JsonNode problem = json(post(body, "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(problem.at("/type").asString()).isEqualTo("https://mailtrail.dev/problems/validation");
        List<String> fields = new ArrayList<>();
        problem.at("/errors").forEach(error -> fields.add(error.at("/field").asString()));
        assertThat(fields)
                .containsExactlyInAnyOrder(
                        "activityId",
                        "tenantId",
                        "from",
                        "to",
                        "cc[1]",
                        "replyTo",
                        "subject",
                        "html",
                        "tags.activity_id",
                        "tags.campaign");

        assertThat(errorFields(postRaw("{\"activityId\": ", "dev-token"))).containsExactly("body");
        assertThat(errorFields(postRaw("[1, 2]", "dev-token"))).containsExactly("body");
        assertThat(errorFields(postRaw("", "dev-token"))).containsExactly("body");
        assertThat(errorFields(postRaw("{\"to\": \"a@example.com\"}", "dev-token")))
                .containsExactly("to");
        assertThat(errorFields(postRaw("{\"to\": [null]}", "dev-token")))
                .singleElement()
                .asString()
                .startsWith("to");
        assertThat(errorFields(postRaw("{\"tracking\": {\"opens\": [true]}}", "dev-token")))
                .containsExactly("tracking.opens");
        assertThat(errorFields(postRaw("{\"unsubscribe\": \"please\"}", "dev-token")))
                .containsExactly("unsubscribe");
    }

    /**
     * Issue 22's done-when for one-click unsubscribe: an email sent with {@code "unsubscribe": true} carries both
     * headers through Resend's {@code headers} (read back from the simulator), its link's token naming the activity;
     * the {@code unsubscribed} event the ingest publishes for the link's POST sets {@code unsubscribedAt} and leaves
     * the status; the same event again changes nothing. One sent without it carries no headers.
     */
    @Test
    void anEmailSentWithUnsubscribeCarriesBothHeadersAndItsUnsubscribeSetsUnsubscribedAt() {
        String id = newId();
        String plain = newId();
        Map<String, Object> body = email(id);
        body.put("unsubscribe", true);
        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        post(email(plain), "dev-token").expectStatus().isAccepted().expectBody(Void.class);

        awaitRequest(id, "SENT");
        awaitRequest(plain, "SENT");
        JsonNode received = json(simulator
                .get()
                .uri("/_simulator/emails/{id}", onlyEmail(id).at("/id").asString())
                .exchange()
                .expectStatus()
                .isOk());
        JsonNode headers = received.at("/headers");
        assertThat(headers.at("/List-Unsubscribe-Post").asString()).isEqualTo("List-Unsubscribe=One-Click");
        Matcher link = Pattern.compile("<http://127\\.0\\.0\\.1:8081/u/([A-Za-z0-9_-]+)>")
                .matcher(headers.at("/List-Unsubscribe").asString());
        assertThat(link.matches()).as(headers.toString()).isTrue();
        assertThat(TRACKING.decode(link.group(1))).contains(TrackingToken.unsubscribe(id, "t-1"));
        assertThat(received.at("/html").asString()).isEqualTo(body.get("html"));
        assertThat(onlyEmail(plain).at("/headers").isEmpty()).isTrue();
        assertThat(onlyEmail(plain).at("/request/headers").isMissingNode()).isTrue();

        await().atMost(PATIENCE).until(() -> states.find(key(id)).block().status() == ActivityStatus.SENT);
        Instant clicked = Instant.now().minusSeconds(60);
        EmailEvent unsubscribed = event(EmailEventType.UNSUBSCRIBED)
                .id("unsubscribe:t-1:" + id)
                .from(EventSource.UNSUBSCRIBE_LINK)
                .activity(id)
                .to((String) null)
                .at(clicked)
                .build();
        EmailEvents.publish(kafka, List.of(unsubscribed));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(states.find(key(id)).block().unsubscribedAt())
                        .isEqualTo(clicked.truncatedTo(ChronoUnit.MILLIS)));
        assertThat(states.find(key(id)).block().status()).isEqualTo(ActivityStatus.SENT);
        long version = states.find(key(id)).block().version();

        EmailEvents.publish(
                kafka,
                List.of(unsubscribed.toBuilder().occurredAt(Instant.now()).build()));
        EmailEvents.publish(
                kafka, List.of(event(EmailEventType.DELIVERED).activity(plain).build()));
        await().atMost(PATIENCE).until(() -> states.find(key(plain)).block().status() == ActivityStatus.DELIVERED);
        assertThat(states.find(key(id)).block().version())
                .as("a repeat is a duplicate")
                .isEqualTo(version);
    }

    @Test
    void foreignTenantsOversizedBodiesOtherMediaTypesAndMissingTokensAreRefused() {
        Map<String, Object> otherTenant = email(newId());
        otherTenant.put("tenantId", "t-2");
        JsonNode problem = json(post(otherTenant, "tenant-token").expectStatus().isBadRequest());
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("tenantId");
        assertThat(problem.at("/errors/0/message").asString()).isEqualTo("not allowed for this token");
        post(email(newId()), "tenant-token").expectStatus().isAccepted().expectBody(Void.class);

        Map<String, Object> huge = email(newId());
        huge.put("html", "<p>" + "x".repeat(1024 * 1024) + "</p>");
        post(huge, "dev-token")
                .expectStatus()
                .isEqualTo(413)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/payload-too-large");

        http.post()
                .uri("/api/crm/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .contentType(MediaType.TEXT_PLAIN)
                .bodyValue("hello")
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectBody(Void.class);
        http.post()
                .uri("/api/crm/emails")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json(email(newId())))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectBody(Void.class);
    }

    /**
     * The rule both services share (web-support's JsonMediaType): application/json or application/*+json, any
     * charset. A request without a Content-Type was read as JSON before; it is 415 now, as at the ingest.
     */
    @Test
    void aMissingContentTypeIsRefusedAndStructuredJsonWithACharsetIsAccepted() {
        byte[] body = json(email(newId())).getBytes(StandardCharsets.UTF_8);
        http.post()
                .uri("/api/crm/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .body(BodyInserters.fromDataBuffers(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body))))
                .exchange()
                .expectStatus()
                .isEqualTo(415)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/unsupported-media-type");

        http.post()
                .uri("/api/crm/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .contentType(MediaType.parseMediaType("application/vnd.mailtrail+json; charset=UTF-8"))
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(Void.class);
    }

    @Test
    void aRequestTheDatabaseCannotStoreIsUnavailableAndNothingOfItRemains() {
        String id = newId();
        String trigger = "refuse_" + id.replace('-', '_');
        // the last write of the acceptance fails: everything before it must roll back
        db.sql("""
                CREATE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
                    IF NEW.message_key = '%2$s' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $fn$;
                CREATE TRIGGER %1$s BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION %1$s()""".formatted(trigger, key(id).value())).then().block();
        try {
            post(email(id), "dev-token")
                    .expectStatus()
                    .isEqualTo(503)
                    .expectHeader()
                    .valueEquals(HttpHeaders.RETRY_AFTER, "5")
                    .expectBody()
                    .jsonPath("$.type")
                    .isEqualTo("https://mailtrail.dev/problems/unavailable");
            assertThat(request(id)).isEmpty();
            assertThat(states.find(key(id)).blockOptional()).isEmpty();
        } finally {
            db.sql("DROP FUNCTION " + trigger + "() CASCADE").then().block();
        }
        post(email(id), "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        awaitRequest(id, "SENT");
    }

    @Test
    void invalidAndConflictingCommandsGoToTheDeadLetterTopicWithTheReasonAndTheRestIsSent() {
        String id = newId();
        Map<String, Object> invalid = email(id);
        invalid.put("from", "nobody");
        invalid.remove("to");
        Map<String, Object> conflicting = email(id);
        conflicting.put("subject", "Something else");

        try (Consumer<String, byte[]> deadLetters = KafkaRecords.consumer(broker, Topics.SEND_COMMANDS_DLT)) {
            kafka.send(Topics.SEND_COMMANDS, id, "{not json".getBytes(StandardCharsets.UTF_8))
                    .join();
            command(id, invalid);
            command(id, email(id));
            command(id, conflicting);

            awaitRequest(id, "SENT");
            List<ConsumerRecord<String, byte[]>> mine = KafkaRecords.withKey(deadLetters, id, 3, PATIENCE);
            assertThat(mine)
                    .extracting(KafkaRecords::deadLetterReason)
                    .satisfiesExactly(
                            reason ->
                                    assertThat(reason).startsWith("invalid SendEmailCommand: body is not valid JSON: "),
                            reason -> assertThat(reason)
                                    .isEqualTo(
                                            "invalid SendEmailCommand: from must be an address: "
                                                    + "addr@example.com or Name <addr@example.com>; to must have 1 to 50 addresses"),
                            reason -> assertThat(reason)
                                    .isEqualTo("conflict: activity " + id
                                            + " was accepted before with a different request"));
            assertThat(mine).allSatisfy(record -> {
                assertThat(header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.SEND_COMMANDS);
                assertThat(record.headers().lastHeader("kafka_dlt-exception-fqcn"))
                        .isNull();
            });
        }
        assertThat(emails(id)).hasSize(1);
    }

    @Test
    void controlCharactersAndOverLongFieldsAreRefusedNamingTheFieldOverHttpAndDeadLetteredOnKafka() {
        Map<String, Object> nul = email(newId());
        nul.put("subject", "Hi\u0000there");
        JsonNode problem = json(post(nul, "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(problem.at("/type").asString()).isEqualTo("https://mailtrail.dev/problems/validation");
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("subject");
        assertThat(problem.at("/errors/0/message").asString()).endsWith("U+0000 at index 2");

        Map<String, Object> tooLong = email(newId());
        tooLong.put("subject", "s".repeat(999));
        tooLong.put("from", "a".repeat(309) + "@example.com");
        tooLong.put("to", List.of("delivered@resend.dev", "Bob\r\nBcc: eve@example.com <bob@example.com>"));
        assertThat(errorFields(post(tooLong, "dev-token"))).containsExactlyInAnyOrder("subject", "from", "to[1]");

        String id = newId();
        double invalidBefore = counter("mailtrail.kafka.dlt", "topic", Topics.SEND_COMMANDS, "reason", "invalid");
        try (Consumer<String, byte[]> deadLetters = KafkaRecords.consumer(broker, Topics.SEND_COMMANDS_DLT)) {
            Map<String, Object> nulCommand = email(id);
            nulCommand.put("subject", "Hi\u0000there");
            command(id, nulCommand);
            command(id, email(id));

            awaitRequest(id, "SENT");
            assertThat(KafkaRecords.withKey(deadLetters, id, 1, PATIENCE))
                    .extracting(KafkaRecords::deadLetterReason)
                    .containsExactly("invalid SendEmailCommand: subject must not contain control characters or "
                            + "unpaired surrogates: U+0000 at index 2");
        }
        assertThat(counter("mailtrail.kafka.dlt", "topic", Topics.SEND_COMMANDS, "reason", "invalid"))
                .isEqualTo(invalidBefore + 1);
        assertThat(emails(id))
                .singleElement()
                .satisfies(email ->
                        assertThat(email.at("/request/subject").asString()).isEqualTo("Hello " + id));
    }

    @Test
    void dataPostgresRefusesPastTheChecksIsAValidationProblemOverHttpAndDeadLetteredOnKafka() {
        String overHttp = newId();
        String overKafka = newId();
        String next = newId();
        // what no check foresaw: PostgreSQL refuses the request's data (class 22, data exception), every time
        String trigger = "refuse_" + overHttp.replace('-', '_');
        db.sql("""
                CREATE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
                    IF NEW.activity_id IN ('%2$s', '%3$s') THEN
                        RAISE EXCEPTION 'value refused' USING ERRCODE = '22023';
                    END IF;
                    RETURN NEW; END $fn$;
                CREATE TRIGGER %1$s BEFORE INSERT ON send_request FOR EACH ROW EXECUTE FUNCTION %1$s()""".formatted(trigger, overHttp, overKafka)).then().block();
        double dataFaultsBefore = counter("mailtrail.kafka.dlt", "topic", Topics.SEND_COMMANDS, "reason", "data_fault");
        try (Consumer<String, byte[]> deadLetters = KafkaRecords.consumer(broker, Topics.SEND_COMMANDS_DLT)) {
            JsonNode problem =
                    json(post(email(overHttp), "dev-token").expectStatus().isBadRequest());
            assertThat(problem.at("/type").asString()).isEqualTo("https://mailtrail.dev/problems/validation");
            assertThat(problem.at("/errors/0/field").asString()).isEqualTo("body");

            // on one partition: the refused command, then the next one
            command(next, email(overKafka));
            command(next, email(next));

            awaitRequest(next, "SENT");
            assertThat(KafkaRecords.withKey(deadLetters, next, 1, PATIENCE))
                    .extracting(KafkaRecords::deadLetterReason)
                    .containsExactly("data_fault: PostgreSQL refuses it: SQLSTATE 22023 value refused");
        } finally {
            db.sql("DROP FUNCTION " + trigger + "() CASCADE").then().block();
        }
        assertThat(counter("mailtrail.kafka.dlt", "topic", Topics.SEND_COMMANDS, "reason", "data_fault"))
                .isEqualTo(dataFaultsBefore + 1);
        assertThat(request(overHttp)).isEmpty();
        assertThat(request(overKafka)).isEmpty();
    }

    @Test
    void aCommandThatFailsForAReasonOfOursIsRetriedFromItselfAndTheCommandsBeforeItAreNotHandledTwice(
            @Autowired KafkaListenerEndpointRegistry listeners) {
        String invalid = newId();
        String retried = newId();
        String trigger = "fail_once_" + retried.replace('-', '_');
        // serialization_failure, once: a fault worth retrying
        db.sql("""
                CREATE SEQUENCE %1$s;
                CREATE FUNCTION %1$s() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN
                    IF NEW.activity_id = '%2$s' AND nextval('%1$s') = 1 THEN
                        RAISE EXCEPTION 'could not serialize access' USING ERRCODE = '40001';
                    END IF;
                    RETURN NEW; END $fn$;
                CREATE TRIGGER %1$s BEFORE INSERT ON send_request FOR EACH ROW EXECUTE FUNCTION %1$s()""".formatted(trigger, retried)).then().block();
        double invalidBefore = counter("mailtrail.kafka.dlt", "topic", Topics.SEND_COMMANDS, "reason", "invalid");
        try {
            Map<String, Object> bad = email(invalid);
            bad.remove("to");
            // one partition, one batch (written while the listener is paused): the invalid command, then the one
            // that fails once
            MessageListenerContainer commands = listeners.getListenerContainer("send-commands");
            commands.pause();
            await().atMost(PATIENCE).until(commands::isContainerPaused);
            command(retried, bad);
            command(retried, email(retried));
            commands.resume();

            awaitRequest(retried, "SENT");
        } finally {
            db.sql("DROP FUNCTION " + trigger + "() CASCADE; DROP SEQUENCE " + trigger)
                    .then()
                    .block();
        }
        assertThat(counter("mailtrail.kafka.dlt", "topic", Topics.SEND_COMMANDS, "reason", "invalid"))
                .isEqualTo(invalidBefore + 1);
        assertThat(emails(retried)).hasSize(1);
    }

    @Test
    void rateLimitsConcurrentKeysAndServerErrorsAreRetriedUntilExactlyOneEmailIsSent() {
        String id = newId();
        String key = "send/t-1/" + id;
        ResendSimulator.FRONT_DOOR.fail(
                key,
                new Failure(429, "rate_limit_exceeded", "1"),
                new Failure(503, "internal_server_error", null),
                new Failure(409, "concurrent_idempotent_requests", null));
        double rateLimited = counter("mailtrail.send.requests", "outcome", "rate_limited");
        double retried = counter("mailtrail.send.requests", "outcome", "retried");

        post(email(id), "dev-token").expectStatus().isAccepted().expectBody(Void.class);

        awaitRequest(id, "SENT");
        assertThat(emails(id)).hasSize(1);
        // (a slow machine may add a timed-out attempt and its retries: same key, same bytes)
        assertThat(ResendSimulator.FRONT_DOOR.bodies(key))
                .hasSizeGreaterThanOrEqualTo(4)
                .containsOnly(request(id).get("email"));
        assertThat(counter("mailtrail.send.requests", "outcome", "rate_limited"))
                .isGreaterThanOrEqualTo(rateLimited + 1);
        assertThat(counter("mailtrail.send.requests", "outcome", "retried")).isGreaterThanOrEqualTo(retried + 2);
    }

    @Test
    void aCallThatTimesOutIsRetriedUnderTheSameKeyAndSendsOnce() {
        String id = newId();
        double timeouts = counter("mailtrail.send.requests", "outcome", "timeout");
        settings("{\"processing_delay_ms\": 8000}");

        post(email(id), "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        await().atMost(PATIENCE).until(() -> counter("mailtrail.send.requests", "outcome", "timeout") > timeouts);
        settings("{\"processing_delay_ms\": 0}");

        awaitRequest(id, "SENT");
        assertThat(emails(id)).hasSize(1);
        assertThat(ResendSimulator.FRONT_DOOR.bodies("send/t-1/" + id))
                .hasSizeGreaterThan(1)
                .containsOnly(request(id).get("email"));
    }

    @Test
    void aPermanentRefusalFailsTheActivityWithResendsReason() {
        String id = newId();
        Map<String, Object> body = email(id);
        body.put("from", FOREIGN_FROM);

        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);

        awaitRequest(id, "FAILED");
        assertThat(request(id).get("failure_reason")).startsWith("invalid_from_address: ");
        assertThat(emails(id)).isEmpty();
        await().atMost(PATIENCE)
                .untilAsserted(() -> activity(id)
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("FAILED")
                        .jsonPath("$.failureReason")
                        .value(reason -> assertThat((String) reason).startsWith("invalid_from_address")));
    }

    @Test
    void aQuotaErrorWaitsForTheQuotaToResetAndSendsNothingMeanwhile() {
        String id = newId();
        settings("{\"quota_exceeded\": \"daily\"}");
        double quota = counter("mailtrail.send.requests", "outcome", "quota_exceeded");

        post(email(id), "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        await().atMost(PATIENCE).until(() -> counter("mailtrail.send.requests", "outcome", "quota_exceeded") > quota);

        Map<String, String> dispatch = dispatch("send/t-1/" + id);
        OffsetDateTime midnight =
                LocalDate.now(ZoneOffset.UTC).plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        assertThat(OffsetDateTime.parse(dispatch.get("next_attempt_at")).toInstant())
                .isEqualTo(midnight.toInstant());
        assertThat(dispatch.get("in_doubt")).isEqualTo("false");
        assertThat(request(id).get("status")).isEqualTo("QUEUED");
        assertThat(emails(id)).isEmpty();

        // midnight, as far as this test is concerned
        settings("{\"quota_exceeded\": \"none\"}");
        dueNow("send/t-1/" + id);
        awaitRequest(id, "SENT");
        assertThat(emails(id)).hasSize(1);
    }

    @Test
    void aCrashAfterResendAcceptedButBeforeTheOutcomeWasWrittenStillSendsExactlyOneEmail() {
        String id = newId();
        String key = "send/t-1/" + id;
        sender.stop();
        Map<String, Object> body = email(id);
        body.put("tracking", TRACKED);
        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);

        Dispatch claimed = sender.claim().orElseThrow();
        assertThat(claimed.key()).isEqualTo(key);
        ResendOutcome first = sender.call(claimed);
        // ...and the process dies here: the outcome is never recorded
        assertThat(first).isInstanceOf(ResendOutcome.Accepted.class);
        assertThat(request(id).get("status")).isEqualTo("QUEUED");
        assertThat(dispatch(key).get("in_doubt")).isEqualTo("true");

        // after the restart, once the dead attempt's lease has run out
        dueNow(key);
        sender.start();

        awaitRequest(id, "SENT");
        String messageId = ((ResendOutcome.Accepted) first).results().get(0).messageId();
        assertThat(request(id).get("provider_message_id")).isEqualTo(messageId);
        assertThat(emails(id)).hasSize(1);
        assertThat(json(simulator
                                .get()
                                .uri("/_simulator/emails/by-idempotency-key/{key}", key)
                                .exchange()
                                .expectStatus()
                                .isOk())
                        .at("/count")
                        .asInt())
                .isEqualTo(1);
        assertThat(ResendSimulator.FRONT_DOOR.bodies(key))
                .hasSizeGreaterThanOrEqualTo(2)
                .containsOnly(request(id).get("email"));
    }

    @Test
    void anAttemptOfUnknownOutcomeOlderThanTheKeyWindowIsFlaggedForReviewNotSentAgain() {
        String id = newId();
        String key = "send/t-1/" + id;
        double reviews = counter("mailtrail.send.requests", "outcome", "review");
        sender.stop();
        post(email(id), "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        // an attempt 25 hours ago whose outcome nobody knows (it timed out, or its sender died)
        sender.claim().orElseThrow();
        db.sql("""
                UPDATE send_dispatch SET first_attempt_at = now() - interval '25 hours', next_attempt_at = now()
                WHERE idempotency_key = $1""").bind(0, key).then().block();
        sender.start();

        awaitRequest(id, "REVIEW");
        assertThat(counter("mailtrail.send.requests", "outcome", "review")).isEqualTo(reviews + 1);
        assertThat(ResendSimulator.FRONT_DOOR.bodies(key)).isEmpty();
        activity(id).expectBody().jsonPath("$.status").isEqualTo("QUEUED");
    }

    @Test
    void trackedHtmlIsRewrittenOnceStoredAndSentByteIdenticalOnRetry() {
        String id = newId();
        String key = "send/t-1/" + id;
        Map<String, Object> body = email(id);
        body.put("tracking", TRACKED);
        ResendSimulator.FRONT_DOOR.fail(key, new Failure(500, "internal_server_error", null));
        double rewritten = counter("mailtrail.tracking.rewrite", "outcome", "rewritten");

        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);

        awaitRequest(id, "SENT");
        String stored = request(id).get("email");
        String html = WireJson.mapper().readTree(stored).at("/html").asString();
        assertThat(html)
                .contains("href=\"http://127.0.0.1:8081/t/c/")
                .contains("src=\"http://127.0.0.1:8081/t/o/")
                .doesNotContain("https://acme.test/pricing");
        assertThat(ResendSimulator.FRONT_DOOR.bodies(key))
                .hasSizeGreaterThanOrEqualTo(2)
                .containsOnly(stored);
        assertThat(onlyEmail(id).at("/request/html").asString()).isEqualTo(html);
        assertThat(counter("mailtrail.tracking.rewrite", "outcome", "rewritten"))
                .isEqualTo(rewritten + 1);
        assertThat(states.find(key(id)).block().openTracking()).isEqualTo(OpenTracking.TRACKED);
    }

    @Test
    void aTextOnlyEmailIsNotTrackedAndAnUntrackedHtmlOneIsLeftToTheProvider() {
        String textOnly = newId();
        Map<String, Object> body = email(textOnly);
        body.remove("html");
        body.put("tracking", TRACKED);
        String htmlOnly = newId();

        post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class);
        post(email(htmlOnly), "dev-token").expectStatus().isAccepted().expectBody(Void.class);

        assertThat(states.find(key(textOnly)).block().openTracking()).isEqualTo(OpenTracking.NOT_TRACKED);
        assertThat(states.find(key(htmlOnly)).block().openTracking()).isEqualTo(OpenTracking.TRACKED);
        awaitRequest(textOnly, "SENT");
        awaitRequest(htmlOnly, "SENT");
        assertThat(onlyEmail(textOnly).at("/request/html").isMissingNode()).isTrue();
        assertThat(onlyEmail(htmlOnly).at("/request/html").asString())
                .isEqualTo("<p>Hello <a href=\"https://acme.test/pricing\">pricing</a></p>");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(
                                states.find(key(textOnly)).block().status().name())
                        .isEqualTo("SENT"));
        assertThat(states.find(key(textOnly)).block().openTracking()).isEqualTo(OpenTracking.NOT_TRACKED);
    }

    @Test
    void aBatchMemberResendRefusesFailsAndTheOthersAreSent() {
        String run = newId();
        List<Map<String, Object>> bodies = validBodies(run, 3);
        bodies.get(1).put("from", FOREIGN_FROM);
        acceptTogether(bodies);

        awaitRequest(run + "-0", "SENT");
        awaitRequest(run + "-1", "FAILED");
        awaitRequest(run + "-2", "SENT");
        String key = request(run + "-0").get("dispatch_key");
        assertThat(key).startsWith("batch/");
        assertThat(request(run + "-1").get("dispatch_key")).isEqualTo(key);
        assertThat(request(run + "-1").get("failure_reason")).contains("from");
        assertThat(emails(run + "-0")).hasSize(1);
        assertThat(emails(run + "-1")).isEmpty();
        assertThat(ResendSimulator.FRONT_DOOR.bodies(key))
                .isNotEmpty()
                .allSatisfy(body -> assertThat(body).startsWith("[{"));
    }

    @Test
    void aBatchResendRefusesWholeForOneEmailsUnverifiedDomainIsSentOneByOneAndOnlyThatEmailFails() {
        String run = newId();
        double splits = counter("mailtrail.send.requests", "outcome", "split");
        settings("{\"unverified_domains\": [\"unverified.test\"]}");
        List<Map<String, Object>> bodies = validBodies(run, 3);
        bodies.get(1).put("from", "Not Yet <sales@unverified.test>");
        acceptTogether(bodies);

        awaitRequest(run + "-0", "SENT");
        awaitRequest(run + "-1", "FAILED");
        awaitRequest(run + "-2", "SENT");
        assertThat(request(run + "-1").get("failure_reason"))
                .isEqualTo("validation_error: The unverified.test domain "
                        + "is not verified. Please, add and verify your domain on https://resend.com/domains");
        assertThat(emails(run + "-0")).hasSize(1);
        assertThat(emails(run + "-1")).isEmpty();
        assertThat(emails(run + "-2")).hasSize(1);
        // one batch call, refused whole and never made again; then every member under its own key, its own bytes
        List<String> batches = ResendSimulator.FRONT_DOOR.keysOfBodiesContaining(run).stream()
                .filter(key -> key.startsWith("batch/"))
                .toList();
        assertThat(batches).hasSize(1);
        String batch = batches.get(0);
        assertThat(dispatch(batch).get("last_outcome")).isEqualTo("split");
        assertThat(ResendSimulator.FRONT_DOOR.bodies(batch))
                .isNotEmpty()
                .allSatisfy(body -> assertThat(body)
                        .isEqualTo(ResendSimulator.FRONT_DOOR.bodies(batch).get(0)));
        assertThat(json(simulator
                                .get()
                                .uri("/_simulator/emails/by-idempotency-key/{key}", batch)
                                .exchange()
                                .expectStatus()
                                .isOk())
                        .at("/count")
                        .asInt())
                .isZero();
        for (int i = 0; i < 3; i++) {
            String id = run + "-" + i;
            assertThat(request(id).get("dispatch_key")).isEqualTo("send/t-1/" + id);
            assertThat(ResendSimulator.FRONT_DOOR.bodies("send/t-1/" + id))
                    .isNotEmpty()
                    .containsOnly(request(id).get("email"));
        }
        assertThat(counter("mailtrail.send.requests", "outcome", "split")).isEqualTo(splits + 3);
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        activity(run + "-1").expectBody().jsonPath("$.status").isEqualTo("FAILED"));
    }

    @Test
    void twoTenantsQueuedEmailsNeverShareABatch() {
        String run = newId();
        List<Map<String, Object>> bodies = validBodies(run, 6);
        for (int i = 0; i < 6; i++) {
            bodies.get(i).put("tenantId", i % 2 == 0 ? "t-1" : "t-2");
        }
        acceptTogether(bodies);

        Map<String, Set<String>> tenantsByCall = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            String id = run + "-" + i;
            awaitRequest(id, "SENT");
            tenantsByCall
                    .computeIfAbsent(request(id).get("dispatch_key"), key -> new HashSet<>())
                    .add(request(id).get("tenant_id"));
        }
        assertThat(tenantsByCall).hasSize(2).allSatisfy((key, tenants) -> {
            assertThat(key).startsWith("batch/");
            assertThat(tenants).hasSize(1);
            assertThat(json(simulator
                                    .get()
                                    .uri("/_simulator/emails/by-idempotency-key/{key}", key)
                                    .exchange()
                                    .expectStatus()
                                    .isOk())
                            .at("/count")
                            .asInt())
                    .isEqualTo(3);
        });
    }

    @Test
    void aFromOutsideItsTenantsSenderDomainsIsRefusedOverHttpAndDeadLetteredFromKafka() {
        String id = newId();
        Map<String, Object> otherTenantsDomain = email(id);
        otherTenantsDomain.put("tenantId", "t-2");
        otherTenantsDomain.put("from", "Ada <ada@example.com>");
        Map<String, Object> unlistedTenant = email(id);
        unlistedTenant.put("tenantId", "t-3");
        double invalid = counter("mailtrail.send.accepted", "entry", "http", "outcome", "invalid");

        JsonNode problem = json(post(otherTenantsDomain, "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(problem.at("/type").asString()).isEqualTo("https://mailtrail.dev/problems/validation");
        assertThat(problem.at("/errors").size()).isEqualTo(1);
        assertThat(problem.at("/errors/0/field").asString()).isEqualTo("from");
        assertThat(problem.at("/errors/0/message").asString())
                .isEqualTo("must be an address of a sender domain allowed for the tenant");
        assertThat(errorFields(postRaw(json(unlistedTenant), "dev-token"))).containsExactly("from");
        assertThat(counter("mailtrail.send.accepted", "entry", "http", "outcome", "invalid"))
                .isEqualTo(invalid + 2);

        try (Consumer<String, byte[]> deadLetters = KafkaRecords.consumer(broker, Topics.SEND_COMMANDS_DLT)) {
            command(id, otherTenantsDomain);
            otherTenantsDomain.put("from", "Ada <ada@MAILTRAIL.dev>");
            command(id, otherTenantsDomain);

            awaitRequest(id, "SENT");
            assertThat(KafkaRecords.withKey(deadLetters, id, 1, PATIENCE))
                    .singleElement()
                    .extracting(record -> header(record, "kafka_dlt-exception-message"))
                    .isEqualTo(
                            "invalid SendEmailCommand: from must be an address of a sender domain allowed for the tenant");
        }
        assertThat(request(id).get("tenant_id")).isEqualTo("t-2");
    }

    @Test
    void twoHundredBackedUpCommandsGoOutInBatchesEachEmailExactlyOnce() {
        String run = newId();
        settings("{\"rate_limit\": 2}");
        sender.stop();
        for (int i = 0; i < 200; i++) {
            command(run + "-" + i, email(run + "-" + i));
        }
        await().atMost(Duration.ofMinutes(2))
                .until(() -> count("send_request WHERE activity_id LIKE $1", run + "-%") == 200);
        sender.start();

        await().atMost(Duration.ofMinutes(2))
                .until(() -> count("send_request WHERE activity_id LIKE $1 AND status = 'SENT'", run + "-%") == 200);
        List<JsonNode> sent = new ArrayList<>();
        allEmails().forEach(email -> {
            if (activityTag(email).startsWith(run + "-")) {
                sent.add(email);
            }
        });
        assertThat(sent).hasSize(200);
        assertThat(sent.stream().map(SendPathIntegrationTests::activityTag).distinct())
                .hasSize(200);
        assertThat(sent.stream()
                        .map(email ->
                                email.at("/request_headers/Idempotency-Key").asString())
                        .distinct())
                .hasSize(2)
                .allSatisfy(key -> assertThat(key).startsWith("batch/"));
    }

    // ---------------------------------------------------------------------------------------------- helpers

    @Test
    void oneActivityIdInTwoTenantsIsTwoActivitiesEachSentUnderItsOwnKeyAndSeenOnlyByItsTenant() {
        String id = newId();
        Map<String, Object> first = email(id);
        Map<String, Object> second = email(id);
        second.put("tenantId", "t-2");
        second.put("subject", "Another tenant's email");

        post(first, "tenant-token").expectStatus().isAccepted().expectBody(Void.class);
        post(second, "t2-token")
                .expectStatus()
                .isAccepted()
                .expectHeader()
                .location("/api/crm/activities/" + id + "?tenantId=t-2")
                .expectBody(Void.class);
        // the same request again is the caller's own duplicate; another one is a conflict, in its own tenant only
        post(second, "t2-token").expectStatus().isAccepted().expectBody(Void.class);
        Map<String, Object> changed = new LinkedHashMap<>(second);
        changed.put("subject", "Changed");
        post(changed, "t2-token").expectStatus().isEqualTo(409).expectBody(Void.class);

        await().atMost(PATIENCE).until(() -> count("send_request WHERE activity_id = $1 AND status = 'SENT'", id) == 2);
        assertThat(emails(id))
                .extracting(
                        email -> email.at("/request_headers/Idempotency-Key").asString())
                .containsExactlyInAnyOrder("send/t-1/" + id, "send/t-2/" + id);
        assertThat(emails(id)).extracting(email -> tag(email, "tenant_id")).containsExactlyInAnyOrder("t-1", "t-2");
        http.get()
                .uri("/api/crm/activities/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer t2-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.tenantId")
                .isEqualTo("t-2")
                .jsonPath("$.subject")
                .isEqualTo("Another tenant's email");
        http.get()
                .uri("/api/crm/activities/{id}", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer tenant-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.tenantId")
                .isEqualTo("t-1")
                .jsonPath("$.subject")
                .isEqualTo("Hello " + id);
        http.get()
                .uri("/api/crm/activities/{id}?tenantId=t-2", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer tenant-token")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody(Void.class);
        // an all-tenant token names the tenant when the id is in several
        assertThat(errorFields(activity(id))).containsExactly("tenantId");
        http.get()
                .uri("/api/crm/activities/{id}/timeline?tenantId=t-2", id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.events[0].eventId")
                .isEqualTo("send:t-2:" + id + ":queued")
                .jsonPath("$.events[?(@.eventId =~ /send:t-1:.*/)]")
                .doesNotExist();
    }

    private static String newId() {
        return "act-" + UUID.randomUUID();
    }

    /** A valid request; tests change what they are about. */
    private static Map<String, Object> email(String activityId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activityId", activityId);
        body.put("tenantId", "t-1");
        body.put("from", "Mailtrail Tests <tests@mailtrail.dev>");
        body.put("to", List.of("delivered@resend.dev"));
        body.put("subject", "Hello " + activityId);
        body.put("html", "<p>Hello <a href=\"https://acme.test/pricing\">pricing</a></p>");
        body.put("text", "Hello");
        body.put("tags", Map.of("campaign", "spring_2026"));
        return body;
    }

    /** Valid requests for activities {@code <run>-0}, {@code <run>-1}, ... */
    private static List<Map<String, Object>> validBodies(String run, int count) {
        return IntStream.range(0, count).mapToObj(i -> email(run + "-" + i)).toList();
    }

    /** Accepted while no sender runs, so that they go out together (one call per tenant). */
    private void acceptTogether(List<Map<String, Object>> bodies) {
        sender.stop();
        bodies.forEach(
                body -> post(body, "dev-token").expectStatus().isAccepted().expectBody(Void.class));
        sender.start();
    }

    private void command(String key, Map<String, Object> body) {
        Map<String, Object> wire = new LinkedHashMap<>(body);
        wire.put("schemaVersion", SendEmailCommand.SCHEMA_VERSION);
        kafka.send(Topics.SEND_COMMANDS, key, WireJson.write(wire)).join();
    }

    private static String json(Object value) {
        return WireJson.mapper().writeValueAsString(value);
    }

    private WebTestClient.ResponseSpec post(Map<String, Object> body, String token) {
        return postRaw(json(body), token);
    }

    private WebTestClient.ResponseSpec postRaw(String body, String token) {
        return http.post()
                .uri("/api/crm/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static List<String> errorFields(WebTestClient.ResponseSpec response) {
        List<String> fields = new ArrayList<>();
        json(response.expectStatus().isBadRequest())
                .at("/errors")
                .forEach(e -> fields.add(e.at("/field").asString()));
        return fields;
    }

    private WebTestClient.ResponseSpec activity(String activityId) {
        return http.get()
                .uri("/api/crm/activities/{id}", activityId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange();
    }

    private static JsonNode json(WebTestClient.ResponseSpec response) {
        byte[] body = response.expectBody().returnResult().getResponseBody();
        return WireJson.mapper().readTree(body == null ? "null" : new String(body, StandardCharsets.UTF_8));
    }

    private void settings(String json) {
        simulator
                .put()
                .uri("/_simulator/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);
    }

    private List<JsonNode> allEmails() {
        List<JsonNode> all = new ArrayList<>();
        json(simulator.get().uri("/_simulator/emails").exchange().expectStatus().isOk())
                .forEach(all::add);
        return all;
    }

    /** The emails the simulator received for an activity (by the activity_id tag). */
    private List<JsonNode> emails(String activityId) {
        return allEmails().stream()
                .filter(email -> activityId.equals(activityTag(email)))
                .toList();
    }

    private JsonNode onlyEmail(String activityId) {
        List<JsonNode> emails = emails(activityId);
        assertThat(emails).hasSize(1);
        return emails.get(0);
    }

    private static String activityTag(JsonNode email) {
        return tag(email, "activity_id");
    }

    private static String tag(JsonNode email, String name) {
        for (JsonNode tag : email.at("/request/tags")) {
            if (name.equals(tag.at("/name").asString())) {
                return tag.at("/value").asString();
            }
        }
        return "";
    }

    private void awaitRequest(String activityId, String status) {
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(request(activityId).get("status")).isEqualTo(status));
    }

    /** The send_request row, values as text. */
    private Map<String, String> request(String activityId) {
        return row("SELECT * FROM send_request WHERE activity_id = $1", activityId);
    }

    private Map<String, String> dispatch(String key) {
        return row("SELECT * FROM send_dispatch WHERE idempotency_key = $1", key);
    }

    private Map<String, String> row(String sql, String parameter) {
        return db.sql(sql)
                .bind(0, parameter)
                .map((row, metadata) -> {
                    Map<String, String> values = new LinkedHashMap<>();
                    metadata.getColumnMetadatas().forEach(column -> {
                        Object value = row.get(column.getName());
                        values.put(
                                column.getName(),
                                value instanceof Json j
                                        ? j.asString()
                                        : value instanceof OffsetDateTime t
                                                ? t.toString()
                                                : value == null ? null : value.toString());
                    });
                    return values;
                })
                .one()
                .blockOptional()
                .orElse(Map.of());
    }

    /** The call's next attempt is due now (its lease ran out, its wait is over). */
    private void dueNow(String key) {
        db.sql("UPDATE send_dispatch SET next_attempt_at = now() WHERE idempotency_key = $1")
                .bind(0, key)
                .then()
                .block();
    }

    private long count(String fromWhere, String parameter) {
        return db.sql("SELECT count(*) FROM " + fromWhere)
                .bind(0, parameter)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    private double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }
}
