package dev.mailtrail.simulator.webhooks;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

import dev.mailtrail.simulator.SimulatorProperties;
import dev.mailtrail.simulator.store.EmailAccepted;
import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.store.SentEmail;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Plays an accepted email's scenario: its events, in order, each after {@code event-gap}, each POSTed Svix-signed to
 * the webhook URL. Every attempt is recorded in the {@link DeliveryLog}; a failed one is not retried (yet).
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final SimulatorProperties properties;
    private final ResendWebhookPayloads payloads;
    private final WebhookSigner signer;
    private final EmailStore store;
    private final DeliveryLog deliveries;
    private final WebClient client = WebClient.create();

    public WebhookDispatcher(SimulatorProperties properties, ResendWebhookPayloads payloads, WebhookSigner signer,
            EmailStore store, DeliveryLog deliveries) {
        this.properties = properties;
        this.payloads = payloads;
        this.signer = signer;
        this.store = store;
        this.deliveries = deliveries;
        log.info("Resend simulator delivers webhooks to {}", properties.webhookUrl());
    }

    @EventListener
    public void onEmailAccepted(EmailAccepted accepted) {
        play(accepted.email()).subscribe(null,
                e -> log.error("Webhooks for email {} stopped: {}", accepted.email().id(), e.toString()));
    }

    /** Emits the email's events one after another; completes when the last delivery attempt is recorded. */
    public Mono<Void> play(SentEmail email) {
        Scenario scenario = Scenario.forRecipient(email.to().get(0));
        return Flux.fromIterable(scenario.events())
                .concatMap(type -> Mono.delay(properties.eventGap()).then(Mono.defer(() -> emit(email, type))))
                .then();
    }

    private Mono<Void> emit(SentEmail email, EmailEventType type) {
        Instant occurredAt = Instant.now();
        store.updateLastEvent(email.id(), type.lastEvent());
        PendingWebhook webhook = new PendingWebhook(SvixMessageIds.next(), type, email.id(),
                payloads.envelope(email, type, occurredAt));
        return deliver(webhook, 1).doOnNext(deliveries::add).then();
    }

    /** One attempt; never fails: the outcome, good or bad, is the returned record. */
    Mono<DeliveryAttempt> deliver(PendingWebhook webhook, int attempt) {
        return Mono.defer(() -> {
            Instant at = Instant.now();
            long start = System.nanoTime();
            String url = properties.webhookUrl().toString();
            long timestamp = at.getEpochSecond();
            return client.post()
                    .uri(properties.webhookUrl())
                    .contentType(MediaType.APPLICATION_JSON)
                    .header("svix-id", webhook.svixId())
                    .header("svix-timestamp", Long.toString(timestamp))
                    .header("svix-signature", signer.sign(webhook.svixId(), timestamp, webhook.payload()))
                    // bytes, so no encoder can re-serialise the exact body that was signed
                    .bodyValue(webhook.payload().getBytes(StandardCharsets.UTF_8))
                    .exchangeToMono(response -> response.releaseBody().thenReturn(response.statusCode().value()))
                    .timeout(properties.webhookTimeout())
                    .map(status -> DeliveryAttempt.answered(webhook, attempt, url, at, status, millisSince(start)))
                    .onErrorResume(e -> Mono.just(
                            DeliveryAttempt.failed(webhook, attempt, url, at, describe(e), millisSince(start))))
                    .doOnNext(this::logOutcome);
        });
    }

    private String describe(Throwable error) {
        if (error instanceof TimeoutException) {
            return "timeout after " + properties.webhookTimeout().toMillis() + " ms";
        }
        // the root cause (e.g. ConnectException) names what went wrong; the wrapper adds the address
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private void logOutcome(DeliveryAttempt attempt) {
        if (attempt.succeeded()) {
            log.debug("Webhook {} {} for email {} -> {}", attempt.type(), attempt.svixId(), attempt.emailId(),
                    attempt.status());
        } else {
            log.warn("Webhook {} {} for email {} failed: {}", attempt.type(), attempt.svixId(), attempt.emailId(),
                    attempt.status() != null ? "HTTP " + attempt.status() : attempt.error());
        }
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
