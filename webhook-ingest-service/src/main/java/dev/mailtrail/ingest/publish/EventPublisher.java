package dev.mailtrail.ingest.publish;

import java.time.Duration;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.ingest.IngestProperties;
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
        return send(Topics.EVENTS, event.partitionKey(), WireJson.write(event));
    }

    /** A verified webhook of a type we do not model, kept raw for later reprocessing. */
    public Mono<Void> publishUnrecognized(String svixId, byte[] rawBody) {
        return send(Topics.WEBHOOKS_UNRECOGNIZED, svixId, rawBody);
    }

    private Mono<Void> send(String topic, String key, byte[] value) {
        return Mono.fromCallable(() -> kafka.send(topic, key, value))
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
