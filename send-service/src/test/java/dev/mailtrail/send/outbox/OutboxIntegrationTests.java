package dev.mailtrail.send.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.send.KafkaRecords;
import dev.mailtrail.send.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * The outbox wakes its relay itself: a commit that added rows has them published at once, with nobody calling the
 * relay and its poll an hour away; a rolled-back add publishes nothing.
 */
@SpringBootTest(
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token",
            "mailtrail.kafka.partitions=1",
            "mailtrail.outbox.poll-interval=1h"
        })
@EmbeddedKafka(
        partitions = 1,
        topics = OutboxIntegrationTests.TOPIC,
        bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class OutboxIntegrationTests {

    static final String TOPIC = "test.outbox.wake";
    /** Far below the hour-long poll: only a wake can publish within it. */
    static final Duration PATIENCE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    Outbox outbox;

    @Autowired
    TransactionalOperator transaction;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    DatabaseClient db;

    @Test
    void aRowAddedInATransactionIsPublishedOnceItCommitsWithoutAnyoneCallingTheRelay() {
        try (Consumer<String, byte[]> consumer = KafkaRecords.consumer(broker, TOPIC)) {
            // outside a transaction the add wakes the relay right after its write; once this one is published,
            // the relay's start-up pass is over too, so what follows is published by a wake or not at all
            String unbound = "k-" + UUID.randomUUID();
            outbox.add(message(unbound)).block(PATIENCE);
            assertThat(KafkaRecords.keysUntil(consumer, unbound, PATIENCE)).contains(unbound);

            String committed = "k-" + UUID.randomUUID();
            outbox.add(message(committed))
                    .then(outbox.add(message(committed + "-second")))
                    .as(transaction::transactional)
                    .block(PATIENCE);

            assertThat(KafkaRecords.keysUntil(consumer, committed + "-second", PATIENCE))
                    .containsSubsequence(committed, committed + "-second");
            assertThat(rows(committed)).isZero();
        }
    }

    @Test
    void aRolledBackAddPublishesNothingAndLeavesNoRow() {
        try (Consumer<String, byte[]> consumer = KafkaRecords.consumer(broker, TOPIC)) {
            String rolledBack = "k-" + UUID.randomUUID();
            assertThatThrownBy(() -> outbox.add(message(rolledBack))
                            .then(Mono.error(new IllegalStateException("the caller's transaction fails after the add")))
                            .as(transaction::transactional)
                            .block(PATIENCE))
                    .hasMessageContaining("fails after the add");
            assertThat(rows(rolledBack)).isZero();

            // one partition, published in id order: had the rolled-back row existed, it would come before this one
            String later = "k-" + UUID.randomUUID();
            outbox.add(message(later)).as(transaction::transactional).block(PATIENCE);

            assertThat(KafkaRecords.keysUntil(consumer, later, PATIENCE)).doesNotContain(rolledBack);
        }
    }

    private static List<Outbox.Message> message(String key) {
        return List.of(new Outbox.Message(TOPIC, key, Map.of("key", key), false));
    }

    private long rows(String key) {
        return db.sql("SELECT count(*) AS n FROM outbox WHERE message_key = $1")
                .bind(0, key)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(PATIENCE);
    }
}
