package dev.mailtrail.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** The projection's consumer lag and end offsets (AdminClient), and a producer that preloads EmailEvents. */
final class Kafka implements AutoCloseable {

    /** The projection's consumer group ({@code spring.kafka.consumer.group-id} of the send-service). */
    static final String PROJECTION_GROUP = "mailtrail-projection";

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
        try {
            Map<TopicPartition, Long> end = endOffsets(Topics.EVENTS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(PROJECTION_GROUP)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
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

    /** Records of crm.email.events the projection has not committed yet; -1 while Kafka does not answer. */
    long projectionLag() {
        Offsets offsets = projectionOffsets();
        return offsets == null ? -1 : offsets.lag();
    }

    /** Sum of a topic's end offsets (-1 while Kafka does not answer): what was ever published to it. */
    long published(String topic) {
        try {
            return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
        } catch (ExecutionException | TimeoutException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private Map<TopicPartition, Long> endOffsets(String topic) throws ExecutionException, InterruptedException, TimeoutException {
        var description = admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description.partitions().forEach(p -> request.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
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
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "mailtrail-bench-preload");
        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            long t0 = System.nanoTime();
            for (int i = 0; i < events.size(); i++) {
                EmailEvent event = events.get(i);
                long due = perSecond == 0 ? 0 : t0 + i * 1_000_000_000L / perSecond - System.nanoTime();
                if (due > 0) {
                    producer.flush();
                    Thread.sleep(due / 1_000_000, (int) (due % 1_000_000));
                }
                producer.send(new ProducerRecord<>(Topics.EVENTS, event.partitionKey(), WireJson.write(event)), (meta, e) -> {
                    if (e == null) {
                        acknowledged.incrementAndGet();
                    } else {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null && acknowledged.get() < events.size()) {
            throw new IllegalStateException("preloading events failed: " + failure.get().getMessage(), failure.get());
        }
        return acknowledged.get();
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
