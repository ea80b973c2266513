package dev.mailtrail.ingest.webhook;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.ingest.IngestProperties;
import dev.mailtrail.ingest.normalize.NormalizedWebhook;
import dev.mailtrail.ingest.normalize.ResendEventNormalizer;
import dev.mailtrail.ingest.publish.EventPublisher;
import dev.mailtrail.ingest.publish.RequestTrace;
import dev.mailtrail.ingest.verify.WebhookId;
import dev.mailtrail.ingest.verify.WebhookVerifier;
import dev.mailtrail.ingest.web.ApiDocumentation;
import dev.mailtrail.ingest.web.WarmupPass;
import dev.mailtrail.ingest.webhook.WebhookMetrics.Outcome;
import dev.mailtrail.web.BoundedBody;
import dev.mailtrail.web.JsonMediaType;
import dev.mailtrail.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/webhooks/resend}: size → content type → signature → shape, each refusal with its own
 * problem type and counted; 2xx only once Kafka has the event, so Resend retries everything else.
 */
@RestController
public class ResendWebhookController {

    private static final Logger log = LoggerFactory.getLogger(ResendWebhookController.class);

    private final WebhookVerifier verifier;
    private final ResendEventNormalizer normalizer;
    private final EventPublisher publisher;
    private final WebhookMetrics metrics;
    private final RecentlyAcknowledged acknowledged;
    private final RequestTrace trace;
    private final WarmupPass warmupPass;
    private final int maxBodyBytes;

    public ResendWebhookController(
            WebhookVerifier verifier,
            ResendEventNormalizer normalizer,
            EventPublisher publisher,
            WebhookMetrics metrics,
            RecentlyAcknowledged acknowledged,
            RequestTrace trace,
            WarmupPass warmupPass,
            IngestProperties properties) {
        this.trace = trace;
        this.warmupPass = warmupPass;
        this.verifier = verifier;
        this.normalizer = normalizer;
        this.publisher = publisher;
        this.metrics = metrics;
        this.acknowledged = acknowledged;
        this.maxBodyBytes = Math.toIntExact(properties.maxBodySize().toBytes());
    }

    @PostMapping("/api/webhooks/resend")
    @Operation(
            summary = "Receive a Resend webhook",
            description = "Verified with Svix over the raw body (every configured secret is tried), normalised to an "
                    + "EmailEvent and published to crm.email.events with acks=all. 2xx only once Kafka acknowledged. "
                    + "The Standard Webhooks names webhook-id/-timestamp/-signature are verified when the svix-* set "
                    + "is incomplete; the event id is then webhook-id.",
            parameters = {
                @Parameter(
                        in = ParameterIn.HEADER,
                        name = "svix-id",
                        required = true,
                        example = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W"),
                @Parameter(in = ParameterIn.HEADER, name = "svix-timestamp", required = true, example = "1764152131"),
                @Parameter(
                        in = ParameterIn.HEADER,
                        name = "svix-signature",
                        required = true,
                        example = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
            },
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            examples = @ExampleObject(value = ApiDocumentation.DELIVERED_WEBHOOK))))
    @ApiResponse(
            responseCode = "202",
            description = "On Kafka (or a re-delivery of one that is)",
            content =
                    @Content(
                            mediaType = "application/json",
                            examples = @ExampleObject(value = ApiDocumentation.ACCEPTED)))
    @ApiResponse(
            responseCode = "400",
            description = "Verified, but not an event (malformed-payload), or its svix-id or "
                    + "data.email_id over 128 characters or with control characters (validation, naming it)",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.MALFORMED)))
    @ApiResponse(
            responseCode = "401",
            description = "Missing, invalid, stale or future signature",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.INVALID_SIGNATURE)))
    @ApiResponse(
            responseCode = "413",
            description = "Body over the limit",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.TOO_LARGE)))
    @ApiResponse(
            responseCode = "415",
            description = "Not JSON",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.UNSUPPORTED)))
    @ApiResponse(
            responseCode = "503",
            description = "Kafka did not acknowledge in time; retry after Retry-After",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.UNAVAILABLE)))
    public Mono<ResponseEntity<Object>> receive(@Parameter(hidden = true) ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        HttpHeaders headers = request.getHeaders();
        if (BoundedBody.declaredOver(request, maxBodyBytes)) {
            return Mono.just(tooLarge());
        }
        if (!JsonMediaType.accepts(request)) {
            metrics.received(null, Outcome.UNSUPPORTED_MEDIA_TYPE);
            return Mono.just(Problems.of(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Send the webhook as application/json"));
        }
        return BoundedBody.read(request, maxBodyBytes)
                .flatMap(body -> handle(headers, body, exchange))
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge()));
    }

    private Mono<ResponseEntity<Object>> handle(HttpHeaders headers, byte[] body, ServerWebExchange exchange) {
        if (warmupPass.presentIn(headers)) {
            return Mono.just(warmedUp(headers, body));
        }
        metrics.bodySize(body.length);
        long started = System.nanoTime();
        Optional<WebhookId> verified = verifier.verify(body, svixHeaders(headers));
        metrics.verification(Duration.ofNanos(System.nanoTime() - started));
        if (verified.isEmpty()) {
            metrics.received(null, Outcome.INVALID_SIGNATURE);
            return Mono.just(Problems.of(ProblemCode.INVALID_SIGNATURE, "The webhook signature could not be verified"));
        }
        String svixId = verified.get().value();
        NormalizedWebhook normalized = normalizer.normalize(verified.get(), body);
        if (acknowledged.contains(svixId)) {
            metrics.received(normalized.resendType(), Outcome.DUPLICATE);
            return Mono.just(accepted("resend:" + svixId));
        }
        if (normalized instanceof NormalizedWebhook.Recognized r) {
            return published(
                    svixId, r.resendType(), Outcome.ACCEPTED, publisher.publish(r.event(), trace.headers(exchange)));
        }
        if (normalized instanceof NormalizedWebhook.Unrecognized u) {
            return published(
                    svixId,
                    u.resendType(),
                    Outcome.UNRECOGNIZED_TYPE,
                    publisher.publishUnrecognized(svixId, body, trace.headers(exchange)));
        }
        if (normalized instanceof NormalizedWebhook.Invalid i) {
            metrics.received(i.resendType(), Outcome.MALFORMED);
            return Mono.just(Problems.validation(i.field(), i.message()));
        }
        NormalizedWebhook.Malformed m = (NormalizedWebhook.Malformed) normalized;
        metrics.received(m.resendType(), Outcome.MALFORMED);
        return Mono.just(Problems.of(ProblemCode.MALFORMED_PAYLOAD, m.reason()));
    }

    private Mono<ResponseEntity<Object>> published(
            String svixId, String resendType, Outcome outcome, Mono<Void> publishing) {
        String eventId = "resend:" + svixId;
        long started = System.nanoTime();
        return publishing
                .then(Mono.fromSupplier(() -> {
                    metrics.published(Duration.ofNanos(System.nanoTime() - started), true);
                    metrics.received(resendType, outcome);
                    acknowledged.add(svixId);
                    return accepted(eventId);
                }))
                .onErrorResume(e -> {
                    metrics.published(Duration.ofNanos(System.nanoTime() - started), false);
                    metrics.received(resendType, Outcome.PUBLISH_FAILED);
                    log.warn("Kafka did not acknowledge {} in time: {}", eventId, e.toString());
                    return Mono.just(Problems.unavailable("The event could not be stored right now; retry later"));
                });
    }

    /** The instance's own warm-up request ({@link WarmupPass}): the work of any other up to the publish; no metrics. */
    private ResponseEntity<Object> warmedUp(HttpHeaders headers, byte[] body) {
        Optional<WebhookId> verified = verifier.verify(body, svixHeaders(headers));
        if (verified.isEmpty()) {
            return Problems.of(ProblemCode.INVALID_SIGNATURE, "The webhook signature could not be verified");
        }
        if (normalizer.normalize(verified.get(), body) instanceof NormalizedWebhook.Recognized r) {
            WireJson.write(r.event());
        }
        return accepted("resend:" + verified.get().value());
    }

    private static ResponseEntity<Object> accepted(String eventId) {
        return ResponseEntity.accepted().body(Map.of("eventId", eventId));
    }

    private ResponseEntity<Object> tooLarge() {
        metrics.received(null, Outcome.TOO_LARGE);
        return Problems.of(ProblemCode.PAYLOAD_TOO_LARGE, "Webhook bodies are limited to " + maxBodyBytes + " bytes");
    }

    /** svix wants a Map; Spring 7's HttpHeaders is not one. */
    static Map<String, List<String>> svixHeaders(HttpHeaders headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String name : WebhookVerifier.HEADERS) {
            List<String> values = headers.get(name);
            if (values != null && !values.isEmpty()) {
                map.put(name, values);
            }
        }
        return map;
    }
}
