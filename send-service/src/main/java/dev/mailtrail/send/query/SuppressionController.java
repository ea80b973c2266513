package dev.mailtrail.send.query;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import dev.mailtrail.send.auth.ApiCaller;
import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.suppression.Reason;
import dev.mailtrail.send.suppression.Suppression;
import dev.mailtrail.send.suppression.SuppressionList;
import dev.mailtrail.send.suppression.SuppressionMetrics;
import dev.mailtrail.send.web.ApiDocumentation;
import dev.mailtrail.send.web.ProblemException;
import dev.mailtrail.send.web.ProblemException.FieldError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A tenant's suppression list: list, add (manual), remove. A tenant-bound token's own tenant is implied; another
 * tenant's list is as unknown as a missing one (404). Every change is published through the outbox.
 */
@RestController
// every route needs the bearer token: its 401 is documented once, for all of them
@ApiResponse(
        responseCode = "401",
        description = "No or an unknown bearer token",
        content =
                @Content(
                        mediaType = ApiDocumentation.PROBLEM_JSON,
                        examples = @ExampleObject(value = ApiDocumentation.UNAUTHORIZED)))
class SuppressionController {

    static final int DEFAULT_LIMIT = 50;
    static final String PATH = "/api/crm/suppressions";
    static final String ITEM = """
            {"tenantId":"t-1","email":"bounced@example.com","reason":"hard_bounce","activityId":"act-123",\
            "createdAt":"2026-11-26T10:15:31.456Z"}""";
    static final String LIST = "{\"items\":[" + ITEM + "],\"nextCursor\":null}";
    static final String ADD = "{\"tenantId\":\"t-1\",\"email\":\"ada@example.com\",\"reason\":\"manual\"}";
    static final String TENANT = "The list's tenant: implied by a tenant-bound token, required with an all-tenant one";

    private final SuppressionList list;
    private final SuppressionMetrics metrics;
    private final TransactionalOperator transaction;
    private final Clock clock;

    SuppressionController(
            SuppressionList list, SuppressionMetrics metrics, TransactionalOperator transaction, Clock clock) {
        this.list = list;
        this.metrics = metrics;
        this.transaction = transaction;
        this.clock = clock;
    }

    @GetMapping(PATH)
    @Operation(
            summary = "A tenant's suppression list, in pages",
            description = "In address order; email (exact, normalised) and reason filter; limit 1-500 (default 50); "
                    + "pass nextCursor back as cursor (null on the last page).")
    @ApiResponse(
            responseCode = "200",
            description = "One page",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(value = LIST)))
    @ApiResponse(
            responseCode = "400",
            description = "tenantId, email, reason, limit or cursor invalid, each named",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    @ApiResponse(
            responseCode = "404",
            description = "A tenant this token may not see",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.NOT_FOUND)))
    Mono<Map<String, Object>> page(
            @Parameter(description = TENANT) @RequestParam(required = false) String tenantId,
            @RequestParam(required = false) String email,
            @RequestParam(required = false) String reason,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @Parameter(hidden = true) ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        String tenant = ApiCaller.of(exchange).tenantFor(tenantId, errors);
        String address = email == null ? null : address(email, errors);
        Reason filter = null;
        if (reason != null) {
            filter = Reason.of(reason).orElse(null);
            if (filter == null) {
                errors.add(new FieldError("reason", "must be one of " + wireNames()));
            }
        }
        // the cursor is the last address of a page, in PageCursor's idiom without a time
        PageRequest page = PageRequest.of(limit, cursor, DEFAULT_LIMIT, SuppressionController::isCursorAddress, errors);
        if (!errors.isEmpty()) {
            return Mono.error(ProblemException.validation(errors));
        }
        String after = page.after() == null ? null : page.after().id();
        return list.page(tenant, address, filter, after, page.limit() + 1)
                .collectList()
                .map(items -> {
                    boolean more = items.size() > page.limit();
                    List<Suppression> shown = more ? items.subList(0, page.limit()) : items;
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("items", shown);
                    body.put(
                            "nextCursor",
                            more
                                    ? new PageCursor(
                                                    null,
                                                    shown.get(shown.size() - 1).email())
                                            .encode()
                                    : null);
                    return body;
                });
    }

    @PostMapping(PATH)
    @Operation(
            summary = "Add an address to a tenant's suppression list",
            description = "reason must be manual. The address is normalised (trimmed, lower-cased); an address "
                    + "already listed keeps its entry (200 with it).",
            requestBody =
                    @io.swagger.v3.oas.annotations.parameters.RequestBody(
                            required = true,
                            content = @Content(mediaType = "application/json", examples = @ExampleObject(value = ADD))))
    @ApiResponse(
            responseCode = "201",
            description = "Added",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(value = ITEM)))
    @ApiResponse(
            responseCode = "400",
            description = "body, tenantId, email or reason invalid, each named",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    @ApiResponse(
            responseCode = "404",
            description = "A tenant this token may not see",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.NOT_FOUND)))
    Mono<ResponseEntity<Suppression>> add(
            @RequestBody(required = false) String body, @Parameter(hidden = true) ServerWebExchange exchange) {
        ApiCaller caller = ApiCaller.of(exchange);
        List<FieldError> errors = new ArrayList<>();
        JsonNode json = json(body, errors);
        if (json == null) {
            return Mono.error(ProblemException.validation(errors));
        }
        String tenant = caller.tenantFor(text(json, "tenantId", errors), errors);
        String emailText = text(json, "email", errors);
        String address = emailText == null ? null : address(emailText, errors);
        if (!"manual".equals(text(json, "reason", errors))) {
            errors.add(new FieldError("reason", "must be manual"));
        }
        if (emailText == null) {
            errors.add(new FieldError("email", "is required"));
        }
        if (!errors.isEmpty()) {
            return Mono.error(ProblemException.validation(errors));
        }
        Suppression entry = new Suppression(tenant, address, Reason.MANUAL, null, clock.instant());
        return list.add(List.of(entry))
                .flatMap(added -> added.isEmpty()
                        ? list.page(tenant, address, null, null, 1).next().map(existing -> ResponseEntity.ok(existing))
                        : Mono.just(ResponseEntity.status(HttpStatus.CREATED).body(added.get(0))))
                .as(transaction::transactional)
                .doOnNext(answer -> {
                    if (answer.getStatusCode() == HttpStatus.CREATED) {
                        metrics.added(List.of(answer.getBody()));
                    }
                });
    }

    @DeleteMapping(PATH)
    @Operation(summary = "Remove an address from a tenant's suppression list (any reason)")
    @ApiResponse(
            responseCode = "204",
            description = "Removed; no body (a tombstone follows on crm.email.suppressions)",
            content = @Content(examples = @ExampleObject(name = "removed", summary = "No body", value = "")))
    @ApiResponse(
            responseCode = "400",
            description = "tenantId or email invalid, each named",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    @ApiResponse(
            responseCode = "404",
            description = "Not listed, or a tenant this token may not see",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.NOT_FOUND)))
    Mono<ResponseEntity<Void>> remove(
            @Parameter(description = TENANT) @RequestParam(required = false) String tenantId,
            @RequestParam(required = false) String email,
            @Parameter(hidden = true) ServerWebExchange exchange) {
        ApiCaller caller = ApiCaller.of(exchange);
        List<FieldError> errors = new ArrayList<>();
        String tenant = caller.tenantFor(tenantId, errors);
        String address = null;
        if (email == null) {
            errors.add(new FieldError("email", "is required"));
        } else {
            address = address(email, errors);
        }
        if (!errors.isEmpty()) {
            return Mono.error(ProblemException.validation(errors));
        }
        return list.remove(tenant, address)
                .as(transaction::transactional)
                .flatMap(removed -> removed.map(entry -> {
                            metrics.removed(entry);
                            return Mono.just(ResponseEntity.noContent().<Void>build());
                        })
                        .orElseGet(() -> Mono.error(ProblemException.notFound("Not on the suppression list"))));
    }

    /** The normalised address, when {@code email} is one (limits and characters of the wire). */
    private static String address(String email, List<FieldError> errors) {
        if (email.length() > WireText.ADDRESS_MAX) {
            errors.add(new FieldError("email", "must be at most " + WireText.ADDRESS_MAX + " characters"));
        } else if (WireText.firstForbidden(email, false) >= 0) {
            errors.add(new FieldError("email", "must not contain control characters or unpaired surrogates"));
        } else if (Addresses.bare(email).isEmpty()) {
            errors.add(new FieldError("email", "must be an email address"));
        } else {
            return Addresses.normalised(email);
        }
        return null;
    }

    private static boolean isCursorAddress(String id) {
        return id.length() <= WireText.ADDRESS_MAX && Addresses.bare(id).isPresent();
    }

    private static JsonNode json(String body, List<FieldError> errors) {
        try {
            JsonNode json = body == null ? null : WireJson.mapper().readTree(body);
            if (json != null && json.isObject()) {
                return json;
            }
        } catch (JacksonException e) {
            // answered below
        }
        errors.add(new FieldError("body", "must be a JSON object"));
        return null;
    }

    private static String text(JsonNode json, String field, List<FieldError> errors) {
        JsonNode value = json == null ? null : json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        return value.asString();
    }

    private static List<String> wireNames() {
        return Arrays.stream(Reason.values()).map(Reason::wire).toList();
    }
}
