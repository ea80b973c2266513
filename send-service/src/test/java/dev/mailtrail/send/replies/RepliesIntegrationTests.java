package dev.mailtrail.send.replies;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Replies end to end: an email's Message-ID kept from its events, an inbound email in the resend-simulator (its
 * Receiving API over HTTP), the inbound_received event the ingest would publish, the reply matcher, the outbox, the
 * projection — real Kafka, real PostgreSQL. The three matching paths, the classification, redelivery, a 404.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token",
            "mailtrail.kafka.partitions=2",
            "mailtrail.outbox.poll-interval=200ms"
        })
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
