package dev.mailtrail.simulator.webhooks;

import dev.mailtrail.simulator.LiveSettings;
import dev.mailtrail.simulator.SimulatorProperties;
import dev.mailtrail.simulator.store.EmailAccepted;
import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.store.SentEmail;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Plays an accepted email's scenario: its events, one after another, each after {@code event-gap} (plus the chaos
 * extra delay), each POSTed Svix-signed to the webhook URL. A failed attempt is retried on Svix's schedule, each event
 * on its own: only first attempts keep the scenario's order, as at Resend, which promises no order. Every attempt is
 * recorded in the {@link DeliveryLog}.
 */
@Component
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final SimulatorProperties properties;
    private final LiveSettings settings;
    private final Chaos chaos;
    private final ResendWebhookPayloads payloads;
    private final WebhookSigner signer;
    private final EmailStore store;
    private final DeliveryLog deliveries;
    private final WebhookEventLog eventLog;
    private final WebClient client = WebClient.create();

    WebhookDispatcher(
            SimulatorProperties properties,
            LiveSettings settings,
            Chaos chaos,
            ResendWebhookPayloads payloads,
            WebhookSigner signer,
            EmailStore store,
            DeliveryLog deliveries,
            WebhookEventLog eventLog) {
        this.properties = properties;
        this.settings = settings;
        this.chaos = chaos;
        this.payloads = payloads;
        this.signer = signer;
        this.store = store;
        this.deliveries = deliveries;
        this.eventLog = eventLog;
        log.info("Resend simulator delivers webhooks to {}", properties.webhookUrl());
    }

    @EventListener
    public void onEmailAccepted(EmailAccepted accepted) {
        inBackground(play(accepted.email()), accepted.email().id());
    }

    /** Emits the email's events; completes when the last first attempt is recorded (retries go on after). */
    public Mono<Void> play(SentEmail email) {
        return Flux.fromIterable(
                        chaos.order(Scenario.forRecipient(email.to().get(0)).events()))
                .concatMap(type ->
                        Mono.delay(pauseBefore(type)).then(Mono.defer(() -> send(prepare(email, type, null)))))
                .then();
    }

    private Duration pauseBefore(EmailEventType type) {
        Duration gap = properties.eventGap().plus(chaos.extraDelay());
        return type == EmailEventType.OPENED ? gap.plus(properties.readDelay()) : gap;
    }

    /**
     * Fires one event for an email now, outside its scenario; {@code detail} replaces the type's default
     * {@code bounce}/{@code click}/... when not {@code null}. Delivery (and retries) go on in the background.
     */
    public PendingWebhook fire(SentEmail email, EmailEventType type, JsonNode detail) {
        PendingWebhook webhook = prepare(email, type, detail);
        inBackground(send(webhook), email.id());
        return webhook;
    }

    /** Delivers a webhook whose body is already built (inbound mail's {@code email.received}), with retries. */
    public PendingWebhook fire(String emailId, EmailEventType type, String payload) {
        PendingWebhook webhook = new PendingWebhook(SvixMessageIds.next(), type, emailId, payload);
        inBackground(send(webhook), emailId);
        return webhook;
    }

    private PendingWebhook prepare(SentEmail email, EmailEventType type, JsonNode detail) {
        store.updateLastEvent(email.id(), type.lastEvent());
        Instant now = Instant.now();
        PendingWebhook webhook = new PendingWebhook(
                SvixMessageIds.next(), type, email.id(), payloads.envelope(email, type, now, detail));
        eventLog.created(webhook, now, chaos.lost());
        return webhook;
    }

    /**
     * Resend's replay: one more attempt of a logged event, now, delivered normally even when chaos lost the event's
     * automatic attempts; empty when no such event is logged.
     */
    public Optional<PendingWebhook> replay(String svixId) {
        Optional<PendingWebhook> webhook = eventLog.find(svixId).map(WebhookEventLog.Entry::webhook);
        webhook.ifPresent(w -> inBackground(
                deliver(w, eventLog.nextAttempt(svixId), false)
                        .doOnNext(this::record)
                        .then(),
                w.emailId()));
        return webhook;
    }

    /** The first attempt; what follows it (retries, a chaos duplicate) goes on in the background. */
    private Mono<Void> send(PendingWebhook webhook) {
        return attempt(webhook, 1, false)
                .doOnNext(first -> inBackground(followUp(webhook, first), webhook.emailId()))
                .then();
    }

    /** After a failure the next retry, until Svix's schedule runs out; after a success maybe a duplicate. */
    private Mono<Void> followUp(PendingWebhook webhook, DeliveryAttempt last) {
        int next = last.attempt() + 1;
        if (last.succeeded()) {
            return chaos.duplicate() ? attempt(webhook, next, true).then() : Mono.empty();
        }
        return RetrySchedule.after(last.attempt(), settings.get().retryScale())
                .map(delay -> Mono.fromRunnable(() ->
                                eventLog.retryAt(webhook.svixId(), Instant.now().plus(delay)))
                        .then(Mono.delay(delay))
                        // a replay that succeeded meanwhile ends the automatic schedule, as Svix's does
                        .then(Mono.defer(() ->
                                succeeded(webhook) ? Mono.<DeliveryAttempt>empty() : attempt(webhook, next, false)))
                        .flatMap(outcome -> followUp(webhook, outcome)))
                .orElseGet(() -> {
                    eventLog.gaveUp(webhook.svixId());
                    log.warn(
                            "Webhook {} {} for email {}: giving up after {} attempts",
                            webhook.type().wireName(),
                            webhook.svixId(),
                            webhook.emailId(),
                            last.attempt());
                    return Mono.empty();
                });
    }

    private boolean succeeded(PendingWebhook webhook) {
        return eventLog.find(webhook.svixId())
                .map(entry -> entry.status() == WebhookEventLog.Status.success)
                .orElse(false);
    }

    /** An automatic attempt: one of an event chaos lost fails without reaching the webhook URL. */
    private Mono<DeliveryAttempt> attempt(PendingWebhook webhook, int attempt, boolean duplicate) {
        Mono<DeliveryAttempt> outcome = eventLog.lost(webhook.svixId())
                ? Mono.fromSupplier(() -> DeliveryAttempt.of(
                        webhook,
                        attempt,
                        duplicate,
                        properties.webhookUrl().toString(),
                        Instant.now(),
                        null,
                        "lost (loss_rate)",
                        0))
                : deliver(webhook, attempt, duplicate);
        return outcome.doOnNext(this::record);
    }

    private void record(DeliveryAttempt attempt) {
        deliveries.add(attempt);
        eventLog.attempted(attempt);
    }

    /** One attempt, freshly signed; never fails: the outcome, good or bad, is the returned record. */
    Mono<DeliveryAttempt> deliver(PendingWebhook webhook, int attempt, boolean duplicate) {
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
                    .exchangeToMono(response -> response.releaseBody()
                            .thenReturn(response.statusCode().value()))
                    .timeout(properties.webhookTimeout())
                    .map(status ->
                            DeliveryAttempt.of(webhook, attempt, duplicate, url, at, status, null, millisSince(start)))
                    .onErrorResume(e -> Mono.just(DeliveryAttempt.of(
                            webhook, attempt, duplicate, url, at, null, describe(e), millisSince(start))))
                    .doOnNext(this::logOutcome);
        });
    }

    private static void inBackground(Mono<Void> work, String emailId) {
        work.subscribe(null, e -> log.error("Webhooks for email {} stopped: {}", emailId, e.toString()));
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
            log.debug(
                    "Webhook {} {} for email {} -> {} (attempt {})",
                    attempt.type(),
                    attempt.svixId(),
                    attempt.emailId(),
                    attempt.status(),
                    attempt.attempt());
        } else {
            log.warn(
                    "Webhook {} {} for email {} failed (attempt {}): {}",
                    attempt.type(),
                    attempt.svixId(),
                    attempt.emailId(),
                    attempt.attempt(),
                    attempt.status() != null ? "HTTP " + attempt.status() : attempt.error());
        }
    }

    private static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }
}
