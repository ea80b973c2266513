package dev.mailtrail.bench;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Consumer lag and end offsets (AdminClient), a producer that preloads EmailEvents or any records, and a reader of
 * dead-letter topics.
 */
final class Kafka implements AutoCloseable {

    /** The projection's consumer group ({@code spring.kafka.consumer.group-id} of the send-service). */
    static final String PROJECTION_GROUP = "mailtrail-projection";
    /** The send-service's consumer group of crm.email.send-commands. */
    static final String SEND_COMMANDS_GROUP = "mailtrail-send-commands";
    /** spring-kafka's {@code KafkaHeaders.DLT_EXCEPTION_MESSAGE}: why a record was dead-lettered. */
    static final String DLT_REASON_HEADER = "kafka_dlt-exception-message";

    private final String bootstrap;
    private final Admin admin;

    Kafka(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "mailtrail-bench");
        this.admin = Admin.create(props);
    }

    /** Sums over crm.email.events' partitions: end offsets and the projection's committed offsets. */
    record Offsets(long end, long committed) {
        long lag() {
            return end - committed;
        }
    }

    /** Where the projection stands; null while Kafka does not answer. */
    Offsets projectionOffsets() {
        return offsets(PROJECTION_GROUP, Topics.EVENTS);
    }

    /** Where a consumer group stands on a topic; null while Kafka does not answer. */
    Offsets offsets(String group, String topic) {
        try {
            Map<TopicPartition, Long> end = endOffsets(topic);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get(5, TimeUnit.SECONDS);
            long endSum = 0;
            long committedSum = 0;
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                endSum += e.getValue();
                committedSum += c == null ? 0 : c.offset();
            }
            return new Offsets(endSum, committedSum);
        } catch (ExecutionException | TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Records of a topic a consumer group has not committed yet; -1 while Kafka does not answer. */
    long lag(String group, String topic) {
        Offsets offsets = offsets(group, topic);
        return offsets == null ? -1 : offsets.lag();
    }

    /** Records of crm.email.events the projection has not committed yet; -1 while Kafka does not answer. */
    long projectionLag() {
        return lag(PROJECTION_GROUP, Topics.EVENTS);
    }

    /** Sum of a topic's end offsets (-1 while Kafka does not answer): what was ever published to it. */
    long published(String topic) {
        try {
            return endOffsets(topic).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        var description = admin.describeTopics(List.of(topic))
                .allTopicNames()
                .get(5, TimeUnit.SECONDS)
                .get(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description
                .partitions()
                .forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
                admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, Long> end = new HashMap<>();
        offsets.forEach((tp, info) -> end.put(tp, info.offset()));
        return end;
    }

    /**
     * Polls until the projection's lag is zero; returns the nanoTime it was first seen zero, or -1 when
     * {@code max} passed first. Every sample goes to {@code onSample}.
     */
    long awaitNoLag(Duration max, Duration every, LongConsumer onSample) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            long lag = projectionLag();
            long seen = System.nanoTime();
            if (onSample != null) {
                onSample.accept(lag);
            }
            if (lag == 0) {
                return seen;
            }
            Thread.sleep(every.toMillis());
        }
        return -1;
    }

    /** Publishes the events as the ingest does (key: partition key, value: wire JSON, acks=all); answers how many Kafka acknowledged. */
    long produce(List<EmailEvent> events) throws InterruptedException {
        return produce(events, 0);
    }

    /** The same, {@code perSecond} events a second (0: as fast as Kafka takes them), as a steady trickle arrives. */
    long produce(List<EmailEvent> events, int perSecond) throws InterruptedException {
        List<ProducerRecord<String, byte[]>> records = events.stream()
                .map(e -> new ProducerRecord<>(Topics.EVENTS, e.partitionKey(), WireJson.write(e)))
                .toList();
        BitSet acknowledged = send(records, perSecond);
        if (acknowledged.cardinality() < records.size()) {
            throw new IllegalStateException("preloading events failed: Kafka acknowledged " + acknowledged.cardinality()
                    + " of " + records.size());
        }
        return acknowledged.cardinality();
    }

    /**
     * Sends the records in order with an idempotent producer (acks=all), whatever their bytes; answers which
     * of them (by index) Kafka acknowledged.
     */
    BitSet send(List<ProducerRecord<String, byte[]>> records) {
        return send(records, 0);
    }

    /** The same, {@code perSecond} records a second (0: as fast as Kafka takes them). */
    private BitSet send(List<ProducerRecord<String, byte[]>> records, int perSecond) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "mailtrail-bench-preload");
        BitSet acknowledged = new BitSet(records.size());
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            for (int i = 0; i < records.size(); i++) {
                long due = perSecond == 0 ? 0 : t0 + i * 1_000_000_000L / perSecond - System.nanoTime();
                if (due > 0) {
                    producer.flush();
                    LockSupport.parkNanos(due);
                }
                int index = i;
                producer.send(records.get(i), (meta, e) -> {
                    if (e == null) {
                        synchronized (acknowledged) {
                            acknowledged.set(index);
                        }
                    }
                });
            }
            producer.flush();
        }
        return acknowledged;
    }

    /**
     * Every record on a dead-letter topic, from its beginning: key → the reason spring-kafka's recoverer put in
     * {@value #DLT_REASON_HEADER} (empty when the header is missing). Empty while the topic does not exist.
     */
    Map<String, String> deadLetters(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "mailtrail-bench-dlt");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        Map<String, String> reasons = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header reason = record.headers().lastHeader(DLT_REASON_HEADER);
                    reasons.put(record.key(), reason == null ? "" : new String(reason.value(), StandardCharsets.UTF_8));
                }
            }
        } catch (KafkaException e) {
            return Map.of();
        }
        return reasons;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
