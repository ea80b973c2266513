package dev.mailtrail.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.ingest.SignedWebhook;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.reactive.server.WebTestClient;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "management.server.port=0")
@AutoConfigureWebTestClient
@EmbeddedKafka(partitions = 3, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class ResendWebhookIntegrationTests {

    @Autowired
    WebTestClient http;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Test
    void aSignedDeliveredWebhookLandsOnTheEventsTopicKeyedByActivity() {
        SignedWebhook webhook = SignedWebhook.fixture("email.delivered");

        post(webhook).expectStatus().isAccepted()
                .expectBody().jsonPath("$.eventId").isEqualTo("resend:" + webhook.svixId());

        ConsumerRecord<String, byte[]> record = awaitRecord("resend:" + webhook.svixId());
        EmailEvent event = WireJson.read(record.value(), EmailEvent.class);
        assertThat(record.key()).isEqualTo("act-123");
        assertThat(event.type()).isEqualTo(EmailEventType.DELIVERED);
        assertThat(event.activityId()).isEqualTo("act-123");
    }

    @Test
    void aBadSignatureIsRefusedWithProblemJsonAndNothingIsPublished() {
        SignedWebhook genuine = SignedWebhook.fixture("email.delivered");
        String tampered = genuine.body().replace("act-123", "act-999");
        SignedWebhook forged = new SignedWebhook(genuine.svixId(), genuine.timestamp(), tampered, genuine.signature());

        post(forged).expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").isEqualTo("https://mailtrail.dev/problems/invalid-signature")
                .jsonPath("$.status").isEqualTo(401);
        // a genuine webhook after the forged one: once it is on the topic, the forged one would be too
        SignedWebhook marker = SignedWebhook.fixture("email.delivered");
        post(marker).expectStatus().isAccepted();

        awaitRecord("resend:" + marker.svixId());
        assertThat(readAll()).extracting(r -> WireJson.read(r.value(), EmailEvent.class).activityId())
                .doesNotContain("act-999");
    }

    @Test
    void aNonJsonContentTypeIsRefusedBeforeTheSignatureIsChecked() {
        http.post().uri("/api/webhooks/resend").contentType(MediaType.TEXT_PLAIN).bodyValue("hello")
                .exchange()
                .expectStatus().isEqualTo(415)
                .expectBody().jsonPath("$.type").isEqualTo("https://mailtrail.dev/problems/unsupported-media-type");
    }

    private WebTestClient.ResponseSpec post(SignedWebhook webhook) {
        return http.post().uri("/api/webhooks/resend")
                .contentType(MediaType.APPLICATION_JSON)
                .headers(h -> webhook.headers().forEach(h::put))
                .bodyValue(webhook.bytes())
                .exchange();
    }

    private ConsumerRecord<String, byte[]> awaitRecord(String eventId) {
        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.EVENTS));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                for (ConsumerRecord<String, byte[]> r : seen) {
                    if (WireJson.read(r.value(), EmailEvent.class).eventId().equals(eventId)) {
                        return r;
                    }
                }
            }
        }
        throw new AssertionError("no record with eventId " + eventId + " on " + Topics.EVENTS);
    }

    private List<ConsumerRecord<String, byte[]>> readAll() {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(Topics.EVENTS));
            int emptyPolls = 0;
            while (emptyPolls < 3) {
                var records = consumer.poll(Duration.ofMillis(500));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                records.forEach(all::add);
            }
        }
        return all;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
