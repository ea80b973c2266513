package dev.mailtrail.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.utils.KafkaTestUtils;

/** Reading what the service published, as tests do. */
public final class KafkaRecords {

    private KafkaRecords() {}

    /** A consumer of {@code topic} from its beginning, in a group of its own. */
    public static Consumer<String, byte[]> consumer(EmbeddedKafkaBroker broker, String topic) {
        Map<String, Object> props = KafkaTestUtils.consumerProps(broker, "test-" + UUID.randomUUID(), false);
        Consumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** The records with this key, polled until there are {@code count} (others are skipped). */
    public static List<ConsumerRecord<String, byte[]>> withKey(
            Consumer<String, byte[]> consumer, String key, int count, Duration patience) {
        List<ConsumerRecord<String, byte[]>> mine = new ArrayList<>();
        await().atMost(patience).untilAsserted(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                if (key.equals(record.key())) {
                    mine.add(record);
                }
            });
            assertThat(mine).hasSize(count);
        });
        return mine;
    }

    /** The keys of every record polled until one with {@code key} arrived, in the order read (it last). */
    public static List<String> keysUntil(Consumer<String, byte[]> consumer, String key, Duration patience) {
        List<String> keys = new ArrayList<>();
        await().atMost(patience).untilAsserted(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(record -> keys.add(record.key()));
            assertThat(keys).contains(key);
        });
        return keys;
    }

    /** spring-kafka's header with the reason a record was dead-lettered. */
    public static String deadLetterReason(ConsumerRecord<?, ?> record) {
        return header(record, "kafka_dlt-exception-message");
    }

    public static String header(ConsumerRecord<?, ?> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
