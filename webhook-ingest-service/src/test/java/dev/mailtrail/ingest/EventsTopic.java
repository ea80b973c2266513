package dev.mailtrail.ingest;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic straight from the broker, as a downstream consumer would. */
public record EventsTopic(String brokers, String topic) {

    public static EventsTopic events(String brokers) {
        return new EventsTopic(brokers, Topics.EVENTS);
    }

    /** Polls until a record matches, or fails after the bound. */
    public ConsumerRecord<String, byte[]> await(Predicate<ConsumerRecord<String, byte[]>> match) {
        return poll(match, Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no matching record on " + topic));
    }

    public ConsumerRecord<String, byte[]> awaitEvent(String eventId) {
        return await(r -> event(r).eventId().equals(eventId));
    }

    /** Everything on the topic now: reads until the end offsets. */
    public List<ConsumerRecord<String, byte[]>> all() {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
        }
        return all;
    }

    /** The first event of this activity id (keyed {@code tenantId:activityId}), or fails after the bound. */
    public ConsumerRecord<String, byte[]> awaitActivity(String activityId) {
        return await(r -> activityId.equals(event(r).activityId()));
    }

    /** How many events on the topic now belong to this activity id. */
    public long count(String activityId) {
        return all().stream()
                .filter(r -> activityId.equals(event(r).activityId()))
                .count();
    }

    public static EmailEvent event(ConsumerRecord<String, byte[]> record) {
        return WireJson.read(record.value(), EmailEvent.class);
    }

    private Optional<ConsumerRecord<String, byte[]>> poll(
            Predicate<ConsumerRecord<String, byte[]>> match, Duration bound) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + bound.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (match.test(r)) {
                        return Optional.of(r);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        brokers,
                        ConsumerConfig.GROUP_ID_CONFIG,
                        "test-" + UUID.randomUUID(),
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer());
    }
}
