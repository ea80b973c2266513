package dev.mailtrail.ingest.publish;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.ingest.IngestProperties;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes and completes only once the broker acknowledged (acks=all, idempotent producer). The send call
 * itself may block on metadata or a full buffer, so it never runs on a Netty event-loop thread, and the whole
 * wait is bounded: a webhook is answered 503 well inside Resend's 15 s rather than hanging.
 */
@Component
public class EventPublisher {

    private final KafkaTemplate<String, byte[]> kafka;
    private final Duration timeout;
    private final Scheduler sendScheduler = Schedulers.boundedElastic();

    private final PublishHealth health;

    public EventPublisher(KafkaTemplate<String, byte[]> kafka, IngestProperties properties, PublishHealth health) {
        this.kafka = kafka;
        this.health = health;
        this.timeout = properties.publishTimeout();
    }

    public Mono<Void> publish(EmailEvent event) {
        return publish(event, List.of());
    }

    /** With headers, such as the webhook request's trace context. */
    public Mono<Void> publish(EmailEvent event, List<Header> headers) {
        return send(Topics.EVENTS, event.partitionKey(), WireJson.write(event), headers);
    }

    /** A verified webhook of a type we do not model, kept raw for later reprocessing. */
    public Mono<Void> publishUnrecognized(String svixId, byte[] rawBody, List<Header> headers) {
        return send(Topics.WEBHOOKS_UNRECOGNIZED, svixId, rawBody, headers);
    }

    private Mono<Void> send(String topic, String key, byte[] value, List<Header> headers) {
        return Mono.fromCallable(() -> kafka.send(new ProducerRecord<>(topic, null, key, value, headers)))
                .subscribeOn(sendScheduler)
                .flatMap(Mono::fromFuture)
                // the acknowledgement completes on the producer's one I/O thread: answering there would serialise
                // every response behind it
                .publishOn(Schedulers.parallel())
                .timeout(timeout)
                .doOnSuccess(ignored -> health.succeeded())
                .doOnError(ignored -> health.failed())
                .then();
    }
}
