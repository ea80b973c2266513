package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.proxy.TrustedProxies;
import dev.mailtrail.ingest.publish.EventPublisher;
import dev.mailtrail.ingest.tracking.TrackingMetrics.Unsubscribe;
import dev.mailtrail.ingest.web.ApiDocumentation;
import dev.mailtrail.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The one-click unsubscribe link of {@code List-Unsubscribe} (RFC 2369, RFC 8058). Only the POST of the one-click
 * form unsubscribes, and it answers 200 once Kafka has the {@code unsubscribed} event; a GET (a person's browser, or a
 * security scanner following every link) only shows a page whose button sends that POST.
 */
@RestController
public class UnsubscribeController {

    private static final Logger log = LoggerFactory.getLogger(UnsubscribeController.class);

    private final TrackingTokenCodec codec;
    private final HitLimiter limiter;
    private final EventPublisher publisher;
    private final TrackingMetrics metrics;
    private final TrustedProxies proxies;
    private final Clock clock;

    public UnsubscribeController(
            TrackingTokenCodec codec,
            HitLimiter limiter,
            EventPublisher publisher,
            TrackingMetrics metrics,
            TrustedProxies proxies,
            Clock clock) {
        this.codec = codec;
        this.limiter = limiter;
        this.publisher = publisher;
        this.metrics = metrics;
        this.proxies = proxies;
        this.clock = clock;
    }

    @GetMapping("/u/{token}")
    @Operation(
            summary = "Unsubscribe page",
            description = "A small HTML page whose button POSTs the one-click form to the same URL. A GET never "
                    + "unsubscribes: security scanners and link previews follow every link. 404 page for a token "
                    + "that is not ours.")
    @ApiResponse(
            responseCode = "200",
            description = "The confirmation page",
            content =
                    @Content(
                            mediaType = "text/html",
                            examples = @ExampleObject(value = ApiDocumentation.UNSUBSCRIBE_PAGE)))
    @ApiResponse(
            responseCode = "404",
            description = "Not an unsubscribe token we signed",
            content =
                    @Content(
                            mediaType = "text/html",
                            examples = @ExampleObject(value = ApiDocumentation.UNSUBSCRIBE_NOT_FOUND)))
    public ResponseEntity<String> page(@PathVariable String token) {
        if (bound(token).isEmpty()) {
            metrics.unsubscribe(Unsubscribe.INVALID_TOKEN);
            return UnsubscribePage.notFound();
        }
        metrics.unsubscribe(Unsubscribe.PAGE);
        return UnsubscribePage.confirm();
    }

    @PostMapping("/u/{token}")
    @Operation(
            summary = "One-click unsubscribe (RFC 8058)",
            description = "Body List-Unsubscribe=One-Click (application/x-www-form-urlencoded or multipart/form-data, "
                    + "at most 2 KiB). Publishes an unsubscribed EmailEvent (source unsubscribe_link; the same link "
                    + "again is the same event id) and answers 200 with an empty body once Kafka acknowledged it "
                    + "(the confirmation page's own form gets a page instead).")
    @ApiResponse(
            responseCode = "200",
            description = "Unsubscribed: empty body",
            content =
                    @Content(
                            mediaType = "text/plain",
                            examples = @ExampleObject(name = "empty", summary = "No body", value = "")))
    @ApiResponse(
            responseCode = "400",
            description = "The body is not List-Unsubscribe=One-Click (also 413 over 2 KiB, 415 another media type)",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.NOT_ONE_CLICK)))
    @ApiResponse(
            responseCode = "404",
            description = "Not an unsubscribe token we signed",
            content =
                    @Content(
                            mediaType = "text/html",
                            examples = @ExampleObject(value = ApiDocumentation.UNSUBSCRIBE_NOT_FOUND)))
    @ApiResponse(
            responseCode = "503",
            description = "Kafka did not take the event in time, or the link is over its rate limit: retry later",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.UNAVAILABLE)))
    public Mono<ResponseEntity<?>> unsubscribe(
            @PathVariable String token, @Parameter(hidden = true) ServerHttpRequest request) {
        Optional<TrackingToken> bound = bound(token);
        if (bound.isEmpty()) {
            metrics.unsubscribe(Unsubscribe.INVALID_TOKEN);
            return Mono.just(UnsubscribePage.notFound());
        }
        return UnsubscribeForm.read(request).flatMap(verdict -> switch (verdict) {
            case ONE_CLICK -> publish(bound.get(), request, ResponseEntity.ok().build());
            case ONE_CLICK_FROM_PAGE -> publish(bound.get(), request, UnsubscribePage.done());
            case WRONG_BODY ->
                invalid(Problems.validation(
                        UnsubscribeForm.FIELD, "the body must be List-Unsubscribe=One-Click (RFC 8058)"));
            case UNSUPPORTED_MEDIA_TYPE ->
                invalid(Problems.of(
                        ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                        "Send the form as application/x-www-form-urlencoded or multipart/form-data"));
            case TOO_LARGE ->
                invalid(Problems.of(
                        ProblemCode.PAYLOAD_TOO_LARGE,
                        "Unsubscribe bodies are limited to " + UnsubscribeForm.MAX_BODY_BYTES + " bytes"));
        });
    }

    private Optional<TrackingToken> bound(String raw) {
        return codec.decode(raw).filter(t -> t.kind() == TrackingToken.Kind.UNSUBSCRIBE);
    }

    private Mono<ResponseEntity<?>> publish(TrackingToken token, ServerHttpRequest request, ResponseEntity<?> done) {
        if (limiter.limit(token, proxies.client(request)).isPresent()) {
            metrics.unsubscribe(Unsubscribe.LIMITED);
            return Mono.just(Problems.unavailable("The unsubscribe could not be stored right now; retry later"));
        }
        return publisher
                .publish(event(token, clock.instant()))
                .then(Mono.<ResponseEntity<?>>fromSupplier(() -> {
                    metrics.unsubscribe(Unsubscribe.UNSUBSCRIBED);
                    return done;
                }))
                .onErrorResume(e -> {
                    metrics.unsubscribe(Unsubscribe.UNAVAILABLE);
                    // no token or activity id: they would tie the line to a person
                    log.warn(
                            "Kafka did not acknowledge an unsubscribe in time: {}",
                            e.getClass().getSimpleName());
                    return Mono.just(
                            Problems.unavailable("The unsubscribe could not be stored right now; retry later"));
                });
    }

    private Mono<ResponseEntity<?>> invalid(ResponseEntity<?> answer) {
        metrics.unsubscribe(Unsubscribe.INVALID_BODY);
        return Mono.just(answer);
    }

    /**
     * The event id names the binding, not the token's bytes: the same message's link signed under a rotated key is
     * the same unsubscribe.
     */
    static EmailEvent event(TrackingToken token, Instant now) {
        String recipient = token.recipient() == null ? "" : ":" + token.recipient();
        return EmailEvent.builder()
                .eventId("unsubscribe:" + token.tenantId() + ":" + token.activityId() + recipient)
                .type(EmailEventType.UNSUBSCRIBED)
                .occurredAt(now)
                .receivedAt(now)
                .source(EventSource.UNSUBSCRIBE_LINK)
                .activityId(token.activityId())
                .tenantId(token.tenantId())
                .tags(token.recipient() == null ? Map.of() : Recipients.tag(token.recipient()))
                .build();
    }
}
