package dev.mailtrail.send.accept;

import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.send.accept.AcceptMetrics.Entry;
import dev.mailtrail.send.auth.ApiCaller;
import dev.mailtrail.send.kafka.Faults;
import dev.mailtrail.send.web.ApiDocumentation;
import dev.mailtrail.send.web.ProblemException;
import dev.mailtrail.send.web.ProblemException.FieldError;
import dev.mailtrail.send.web.ProblemHandler;
import dev.mailtrail.web.BoundedBody;
import dev.mailtrail.web.JsonMediaType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** {@code POST /api/crm/emails}: a CRM service asks for an email to be sent. The same path as the Kafka commands. */
@RestController
// every route needs the bearer token: its 401 is documented once, for all of them
@ApiResponse(
        responseCode = "401",
        description = "No or an unknown bearer token",
        content =
                @Content(
                        mediaType = ApiDocumentation.PROBLEM_JSON,
                        examples = @ExampleObject(value = ApiDocumentation.UNAUTHORIZED)))
class SendRequestController {

    private static final Logger log = LoggerFactory.getLogger(SendRequestController.class);

    static final int MAX_BODY_BYTES = 1024 * 1024;

    /**
     * The 202 body: the activity, its status now (QUEUED the first time; SUPPRESSED when the tenant's suppression list
     * left nobody to send to) and the recipients the list dropped.
     */
    record Accepted(String activityId, ActivityStatus status, List<Suppressed.Dropped> suppressed) {}

    private final Acceptance acceptance;
    private final AcceptMetrics metrics;
    private final SenderDomains senderDomains;

    SendRequestController(Acceptance acceptance, AcceptMetrics metrics, SenderDomains senderDomains) {
        this.acceptance = acceptance;
        this.metrics = metrics;
        this.senderDomains = senderDomains;
    }

    static final String REQUEST = """
            {"activityId":"act-123","tenantId":"t-1","from":"Ada Sales <ada@acme.test>","to":["bob@example.com"],\
            "replyTo":"sales@acme.test","subject":"Your proposal",\
            "html":"<p>Hi Bob, <a href=\\"https://acme.test/proposal\\">your proposal</a></p>","text":"Hi Bob",\
            "tags":{"campaign":"q4"},"tracking":{"opens":true,"clicks":true},"unsubscribe":true}""";
    static final String ACCEPTED = """
            {"activityId":"act-123","status":"QUEUED","suppressed":[{"email":"old@example.com","reason":"hard_bounce"}]}""";
    static final String CONFLICT = """
            {"type":"https://mailtrail.dev/problems/conflict","title":"Conflict","status":409,\
            "detail":"Activity act-123 was accepted before with a different request"}""";
    static final String TOO_LARGE = """
            {"type":"https://mailtrail.dev/problems/payload-too-large","title":"Payload too large","status":413,\
            "detail":"Send requests are limited to 1048576 bytes"}""";
    static final String UNSUPPORTED = """
            {"type":"https://mailtrail.dev/problems/unsupported-media-type","title":"Unsupported media type",\
            "status":415,"detail":"Send the request as application/json"}""";

    static final String UNAVAILABLE = """
            {"type":"https://mailtrail.dev/problems/unavailable","title":"Temporarily unavailable","status":503,\
            "detail":"Could not store the request right now; try again"}""";

    @PostMapping("/api/crm/emails")
    @ResponseStatus(HttpStatus.ACCEPTED) // the success status, for the document; each answer sets its own
    @Operation(
            summary = "Ask for an email to be sent",
            description = "Accepted once per activityId: the same request again is accepted again, another one for "
                    + "the activity is a conflict. The same as a SendEmailCommand on crm.email.send-commands.",
            requestBody =
                    @RequestBody(
                            required = true,
                            content =
                                    @Content(
                                            mediaType = "application/json",
                                            examples = @ExampleObject(value = REQUEST))))
    @ApiResponse(
            responseCode = "202",
            description = "Accepted (or accepted before); the activity's status now, and the recipients dropped "
                    + "because the tenant's suppression list holds them (none left: status SUPPRESSED, nothing sent)",
            headers = @Header(name = "Location", description = "/api/crm/activities/{activityId}?tenantId={tenantId}"),
            content = @Content(mediaType = "application/json", examples = @ExampleObject(value = ACCEPTED)))
    @ApiResponse(
            responseCode = "400",
            description = "Every invalid field named; also a tenantId the token may not " + "send for",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    @ApiResponse(
            responseCode = "409",
            description = "Another request was accepted for this activityId",
            content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, examples = @ExampleObject(value = CONFLICT)))
    @ApiResponse(
            responseCode = "413",
            description = "Body over 1 MiB",
            content = @Content(mediaType = ApiDocumentation.PROBLEM_JSON, examples = @ExampleObject(value = TOO_LARGE)))
    @ApiResponse(
            responseCode = "415",
            description = "Not JSON: a Content-Type other than application/json or application/*+json, or none",
            content =
                    @Content(mediaType = ApiDocumentation.PROBLEM_JSON, examples = @ExampleObject(value = UNSUPPORTED)))
    @ApiResponse(
            responseCode = "503",
            description = "Nothing stored (the database is away); retry after Retry-After",
            content =
                    @Content(mediaType = ApiDocumentation.PROBLEM_JSON, examples = @ExampleObject(value = UNAVAILABLE)))
    Mono<ResponseEntity<Object>> send(@Parameter(hidden = true) ServerWebExchange exchange) {
        ApiCaller caller = ApiCaller.of(exchange);
        ServerHttpRequest request = exchange.getRequest();
        if (!JsonMediaType.accepts(request)) {
            metrics.invalid(Entry.HTTP);
            return Mono.just(problem(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Send the request as application/json"));
        }
        return BoundedBody.read(request, MAX_BODY_BYTES)
                .flatMap(body -> handle(caller, body))
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(tooLarge()));
    }

    private Mono<ResponseEntity<Object>> handle(ApiCaller caller, byte[] body) {
        CommandCheck.Checked checked = senderDomains.check(CommandCheck.check(body, false));
        List<FieldError> errors = new ArrayList<>(checked.errors());
        if (checked.command() != null
                && checked.command().tenantId() != null
                && !caller.canSee(checked.command().tenantId())) {
            errors.add(new FieldError("tenantId", "not allowed for this token"));
        }
        if (!errors.isEmpty()) {
            metrics.invalid(Entry.HTTP);
            return Mono.just(ProblemHandler.respond(ProblemException.validation(errors)));
        }
        String activityId = checked.command().activityId();
        return acceptance
                .accept(checked.command())
                .map(result -> {
                    metrics.count(Entry.HTTP, result.outcome());
                    if (result.outcome() == Acceptance.Outcome.CONFLICT) {
                        return problem(
                                ProblemCode.CONFLICT,
                                "Activity " + activityId + " was accepted before with a different request");
                    }
                    return ResponseEntity.accepted()
                            .location(URI.create("/api/crm/activities/" + activityId + "?tenantId="
                                    + checked.command().tenantId()))
                            .<Object>body(new Accepted(activityId, result.status(), result.suppressed()));
                })
                .onErrorResume(e -> {
                    // nothing was accepted: the database away (try again), or data it refuses past the checks (the
                    // body)
                    ResponseEntity<Object> answer = ProblemHandler.unstored(e, "body");
                    // PostgreSQL's message may quote the request's values: a data fault is logged without them
                    log.warn(
                            "Could not accept a send request ({}): {}",
                            answer.getStatusCode().value(),
                            Faults.dataFault(e).map(Faults.DataFault::message).orElseGet(e::toString));
                    if (answer.getStatusCode().is4xxClientError()) {
                        metrics.invalid(Entry.HTTP);
                    }
                    return Mono.just(answer);
                });
    }

    private ResponseEntity<Object> tooLarge() {
        metrics.invalid(Entry.HTTP);
        return problem(ProblemCode.PAYLOAD_TOO_LARGE, "Send requests are limited to " + MAX_BODY_BYTES + " bytes");
    }

    private static ResponseEntity<Object> problem(ProblemCode code, String detail) {
        return ProblemHandler.respond(new ProblemException(code, detail));
    }
}
