package dev.mailtrail.send.replies;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.ResendSimulator;
import dev.mailtrail.send.TestDatabase;
import dev.mailtrail.send.projection.ActivityStateRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Replies end to end: an email's Message-ID kept from its events, an inbound email in the resend-simulator (its
 * Receiving API over HTTP), the inbound_received event the ingest would publish, the reply matcher, the outbox, the
 * projection — real Kafka, real PostgreSQL. The three matching paths, the classification, redelivery, a 404; an
 * email sent through the API with its reply address, and a reply that beat every event carrying its Message-ID.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token",
            "mailtrail.kafka.partitions=2",
            "mailtrail.outbox.poll-interval=200ms",
            "mailtrail.reply.domain=r.acme.test"
        })
@AutoConfigureWebTestClient(timeout = "30s")
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class RepliesIntegrationTests {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    /** The send-service's own tracking keys (application.yml's development key). */
    static final TrackingTokenCodec CODEC =
            new TrackingTokenCodec(TrackingKeys.parse("dev:w5rnbY4WUvI040/MpnD6Zd74LxoI9OhWyJg7axn2AxY="));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        registry.add("mailtrail.resend.base-url", ResendSimulator::url);
    }

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    ActivityStateRepository states;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    WebTestClient http;

    @Test
    void aReplyInTheThreadOfASentEmailMakesItRepliedOnceWhateverTheRedeliveries() {
        String activity = sent();
        String inbound = inbound(List.of("sales@acme.test"), Map.of("In-Reply-To", messageId(activity)), "Re: Hi");

        EmailEvent received = received(inbound, List.of("sales@acme.test"));
        EmailEvents.publish(kafka, List.of(received, received));

        ActivityState state = await().atMost(PATIENCE)
                .until(() -> states.find(key(activity)).block(), s -> s.status() == ActivityStatus.REPLIED);
        assertThat(state.replyCount()).isOne();
        assertThat(state.repliedAt()).isNotNull();
        assertThat(state.openInferred()).as("a reply implies an open").isTrue();
        EmailEvents.publish(kafka, List.of(received));
        await().during(Duration.ofSeconds(2))
                .atMost(PATIENCE)
                .untilAsserted(
                        () -> assertThat(states.find(key(activity)).block().replyCount())
                                .isOne());
    }

    @Test
    void inboundEmailsResendAnswers429ForAreRetriedFromTheFailedOneAndEachCountsOnce() {
        List<String> activities = List.of(sent(), sent(), sent());
        List<EmailEvent> received = activities.stream()
                .map(a -> received(
                        inbound(List.of("sales@acme.test"), Map.of("In-Reply-To", messageId(a)), "Re: Hi"),
                        List.of("sales@acme.test")))
                .toList();
        double replied = count("replied");
        // one API request a second: the fetches of a poll batch after its first are refused (429) until they are
        // retried from the refused one
        simulatorRateLimit(1);
        try {
            EmailEvents.publish(kafka, received);

            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(activities)
                            .allSatisfy(
                                    a -> assertThat(states.find(key(a)).block().status())
                                            .isEqualTo(ActivityStatus.REPLIED)));
        } finally {
            simulatorRateLimit(0);
        }
        assertThat(count("replied") - replied)
                .as("an inbound email handled before a refused one is not handled again")
                .isEqualTo(3.0);
    }

    private static void simulatorRateLimit(int perSecond) {
        ResendSimulator.client()
                .put()
                .uri("/_simulator/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("rate_limit", perSecond))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void aReplyToTheSignedReplyAddressIsMatchedByItsToken() {
        String activity = sent();
        String address = "reply+" + CODEC.encode(TrackingToken.reply(activity, EmailEvents.TENANT)) + "@r.acme.test";
        String inbound = inbound(List.of(address), Map.of(), "Re: Hi");

        EmailEvents.publish(kafka, List.of(received(inbound, List.of(address))));

        await().atMost(PATIENCE)
                .until(() -> states.find(key(activity)).block(), s -> s.status() == ActivityStatus.REPLIED);
    }

    @Test
    void anOutOfOfficeAnswerLeavesTheStatusAloneAndShowsInTheTimelineWithItsKind() {
        String activity = sent();
        String inbound = inbound(
                List.of("sales@acme.test"),
                Map.of("In-Reply-To", messageId(activity), "Auto-Submitted", "auto-replied"),
                "Automatic reply: Hi");

        EmailEvents.publish(kafka, List.of(received(inbound, List.of("sales@acme.test"))));

        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(db.sql(
                                        "SELECT payload->'reply'->>'kind' AS kind FROM activity_event WHERE activity_key = $1"
                                                + " AND type = 'auto_replied'")
                                .bind(0, key(activity).value())
                                .map(row -> row.get("kind", String.class))
                                .all()
                                .collectList()
                                .block())
                        .containsExactly("out_of_office"));
        ActivityState state = states.find(key(activity)).block();
        assertThat(state.status()).isEqualTo(ActivityStatus.SENT);
        assertThat(state.replyCount()).isZero();
    }

    @Test
    void anUnmatchedInboundEmailChangesNothingAndIsCountedAsIsOneResendNoLongerHas() {
        double unmatched = count("unmatched");
        double failed = count("fetch_failed");
        String inbound = inbound(List.of("sales@acme.test"), Map.of("In-Reply-To", "<nobody@else.test>"), "Hello");

        EmailEvents.publish(
                kafka,
                List.of(
                        received(inbound, List.of("sales@acme.test")),
                        received("gone-" + UUID.randomUUID(), List.of())));

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(count("unmatched") - unmatched).isEqualTo(1.0);
            assertThat(count("fetch_failed") - failed).isEqualTo(1.0);
        });
        assertThat(db.sql("SELECT count(*) AS n FROM parked_event WHERE provider_message_id = $1")
                        .bind(0, inbound)
                        .map(row -> row.get("n", Long.class))
                        .one()
                        .block())
                .as("inbound mail is never parked")
                .isZero();
    }

    @Test
    void anEmailSentWithAReplyDomainRepliesToItsSignedAddressAndAnAnswerThereMakesItReplied() {
        String activity = "act-" + UUID.randomUUID();
        JsonNode sent = send(activity, null);

        String replyTo = sent.at("/request/reply_to").asString();
        assertThat(replyTo).startsWith("reply+").endsWith("@r.acme.test");
        assertThat(CODEC.decode(replyTo.substring("reply+".length(), replyTo.indexOf('@'))))
                .contains(TrackingToken.reply(activity, "t-1"));
        String inbound = inbound(List.of(replyTo), Map.of(), "Re: Hello");
        EmailEvents.publish(kafka, List.of(received(inbound, List.of(replyTo))));

        await().atMost(PATIENCE)
                .until(
                        () -> states.find(new ActivityKey("t-1", activity)).block(),
                        s -> s != null && s.status() == ActivityStatus.REPLIED);
    }

    @Test
    void aReplyThatBeatEveryEventCarryingTheMessageIdIsMatchedByAskingResendWhichIsKept() {
        String activity = "act-" + UUID.randomUUID();
        JsonNode sent = send(activity, "Desk <desk@acme.test>");
        assertThat(sent.at("/request/reply_to").asString())
                .as("the sender's own Reply-To is kept")
                .isEqualTo("Desk <desk@acme.test>");
        String messageId = "<" + sent.at("/id").asString() + "@simulator.resend.dev>";
        await().atMost(PATIENCE)
                .until(() -> db.sql("SELECT count(*) AS n FROM send_request WHERE activity_id = $1"
                                        + " AND status = 'SENT' AND provider_message_id IS NOT NULL")
                                .bind(0, activity)
                                .map(row -> row.get("n", Long.class))
                                .one()
                                .block()
                        == 1);
        assertThat(threadOwner(messageId)).as("no event carried it").isNull();

        String inbound = inbound(List.of("desk@acme.test"), Map.of("In-Reply-To", messageId), "Re: Hello");
        EmailEvents.publish(kafka, List.of(received(inbound, List.of("desk@acme.test"))));

        await().atMost(PATIENCE)
                .until(
                        () -> states.find(new ActivityKey("t-1", activity)).block(),
                        s -> s != null && s.status() == ActivityStatus.REPLIED);
        assertThat(threadOwner(messageId)).isEqualTo(activity);
    }

    /** An email accepted through the API for tenant t-1 and sent to the simulator; what the simulator received. */
    private JsonNode send(String activity, String replyTo) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(Map.of(
                "activityId", activity,
                "tenantId", "t-1",
                "from", "Mailtrail Tests <tests@mailtrail.dev>",
                "to", List.of("delivered@resend.dev"),
                "subject", "Hello",
                "text", "Hello"));
        if (replyTo != null) {
            body.put("replyTo", replyTo);
        }
        http.post()
                .uri("/api/crm/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isAccepted();
        return await().atMost(PATIENCE)
                .until(
                        () -> ResendSimulator.client()
                                .get()
                                .uri("/_simulator/emails/by-idempotency-key/{key}", "send/t-1/" + activity)
                                .exchange()
                                .expectStatus()
                                .isOk()
                                .expectBody(JsonNode.class)
                                .returnResult()
                                .getResponseBody()
                                .at("/emails/0"),
                        email -> !email.isMissingNode());
    }

    private String threadOwner(String messageId) {
        return db.sql("SELECT activity_id FROM message_thread WHERE message_id = $1")
                .bind(0, messageId)
                .map(row -> row.get("activity_id", String.class))
                .one()
                .block();
    }

    private double count(String outcome) {
        return meters.counter(Replies.METER, "outcome", outcome).count();
    }

    /** A sent email of a new activity, its Message-ID reported on the event. */
    private String sent() {
        String activity = "act-" + UUID.randomUUID();
        EmailEvents.publish(
                kafka,
                List.of(event(EmailEventType.SENT)
                        .activity(activity)
                        .threadId(messageId(activity))
                        .build()));
        await().atMost(PATIENCE).until(() -> states.find(key(activity)).block() != null);
        return activity;
    }

    private static String messageId(String activity) {
        return "<" + activity + "@simulator.resend.dev>";
    }

    /** An inbound email in the simulator; its id. */
    private static String inbound(List<String> to, Map<String, String> headers, String subject) {
        JsonNode accepted = ResendSimulator.client()
                .post()
                .uri("/_simulator/inbound")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "from",
                        "pat@prospect.test",
                        "to",
                        to,
                        "subject",
                        subject,
                        "headers",
                        headers,
                        "text",
                        "Thanks"))
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        return accepted.get("id").asString();
    }

    /** What the ingest publishes for the simulator's email.received. */
    private static EmailEvent received(String inboundId, List<String> to) {
        return event(EmailEventType.INBOUND_RECEIVED)
                .id("resend:msg_" + inboundId)
                .activity(null)
                .tenant(null)
                .message(inboundId)
                .to(to)
                .build();
    }
}
