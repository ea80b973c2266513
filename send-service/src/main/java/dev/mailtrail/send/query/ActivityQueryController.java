package dev.mailtrail.send.query;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Ids;
import dev.mailtrail.send.auth.ApiCaller;
import dev.mailtrail.send.projection.ActivityStateRepository;
import dev.mailtrail.send.projection.TimelineReader;
import dev.mailtrail.send.web.ApiDocumentation;
import dev.mailtrail.send.web.ProblemException;
import dev.mailtrail.send.web.ProblemException.FieldError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What CRM services and UIs read. Another tenant's activity is as unknown as a missing one, on every route.
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
class ActivityQueryController {

    static final int DEFAULT_LIMIT = 50;
    static final String TENANT_ID = "The activity's tenant: implied by a tenant-bound token; with an all-tenant token "
            + "required only when the id exists in more than one tenant (else 400 naming tenantId)";
    static final int DEFAULT_TIMELINE_LIMIT = 200;
    /** Longer quiet times all mean "sent before the data began"; bounded so the cut-off stays a storable time. */
    static final Duration MAX_NO_OPEN_FOR = Duration.ofDays(36_500);

    private final ActivityStateRepository states;
    private final TimelineReader timelines;
    private final ActivityListing listing;
    private final ActivityStream stream;
    private final Duration heartbeat;
    private final Clock clock;

    ActivityQueryController(
            ActivityStateRepository states,
            TimelineReader timelines,
            ActivityListing listing,
            ActivityStream stream,
            StreamProperties streamProperties,
            Clock clock) {
        this.clock = clock;
        this.states = states;
        this.timelines = timelines;
        this.listing = listing;
        this.stream = stream;
        this.heartbeat = streamProperties.heartbeat();
    }

    @GetMapping("/api/crm/activities/{activityId}")
    @Operation(summary = "One activity's state and badge")
    @ApiResponse(
            responseCode = "200",
            description = "The state, every field present (null when unknown)",
            content =
                    @Content(
                            mediaType = "application/json",
                            examples = @ExampleObject(value = ApiDocumentation.ACTIVITY)))
    @ApiResponse(
            responseCode = "400",
            description =
                    "activityId or tenantId is not an id (1-128 of A-Z a-z 0-9 _ -), or tenantId is needed: an all-tenant token asked for an id several tenants have",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    @ApiResponse(
            responseCode = "404",
            description = "Unknown, or another tenant's",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.NOT_FOUND)))
    Mono<ActivityView> activity(
            @PathVariable String activityId,
            @Parameter(description = TENANT_ID) @RequestParam(required = false) String tenantId,
            @Parameter(hidden = true) ServerWebExchange exchange) {
        return visible(activityId, tenantId, ApiCaller.of(exchange))
                .map(state -> ActivityView.of(state, clock.instant()));
    }

    @GetMapping("/api/crm/activities/{activityId}/timeline")
    @Operation(
            summary = "An activity's facts in time order, each once, in pages",
            description = "limit 1-500 (default 200); pass nextCursor back as cursor for the next page (null on the "
                    + "last). Opens and clicks beyond the activity's payload cap (500 of each by default) are listed "
                    + "on no page: unlisted counts them (\"and N more opens\"); the state counts every one.")
    @ApiResponse(
            responseCode = "200",
            description = "One page",
            content =
                    @Content(
                            mediaType = "application/json",
                            examples = @ExampleObject(value = ApiDocumentation.TIMELINE)))
    @ApiResponse(
            responseCode = "400",
            description = "limit, cursor, activityId or tenantId invalid, each named, or tenantId needed (see above)",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.VALIDATION)))
    @ApiResponse(
            responseCode = "404",
            description = "Unknown, or another tenant's",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.NOT_FOUND)))
    Mono<TimelineEntry.Timeline> timeline(
            @PathVariable String activityId,
            @Parameter(description = TENANT_ID) @RequestParam(required = false) String tenantId,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @Parameter(hidden = true) ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        // event ids are ours or Resend's: whatever PageCursor reads back
        PageRequest page = PageRequest.of(limit, cursor, DEFAULT_TIMELINE_LIMIT, id -> true, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        PageCursor after = page.after();
        return visible(activityId, tenantId, ApiCaller.of(exchange))
                .flatMap(state -> timelines.page(
                        state, after == null ? null : after.at(), after == null ? null : after.id(), page.limit()))
                .map(timeline -> new TimelineEntry.Timeline(
                        activityId,
                        timeline.events().stream().map(TimelineEntry::of).toList(),
                        timeline.more() ? PageCursor.after(timeline.last()).encode() : null,
                        new TimelineEntry.Unlisted(timeline.unlistedOpens(), timeline.unlistedClicks())));
    }

    @GetMapping("/api/crm/activities")
    @Operation(
            summary = "A tenant's activities, newest send first, in keyset pages",
            description = "status is repeatable; noOpenFor (ISO-8601 duration, e.g. P3D) keeps what was sent at least "
                    + "that long ago with no human or unknown open or click and that could have been seen opening "
                    + "(the follow-up list); with engagement=strict only a human-classified open or click takes an "
                    + "activity off it (engagement=any, the default: human or unknown); pass nextCursor back as "
                    + "cursor for the next page.")
    @ApiResponse(
            responseCode = "200",
            description = "One page",
            content =
                    @Content(mediaType = "application/json", examples = @ExampleObject(value = ApiDocumentation.PAGE)))
    @ApiResponse(
            responseCode = "400",
            description = "Invalid parameters, each named",
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
    Mono<Map<String, Object>> list(
            @RequestParam(required = false) String tenantId,
            @RequestParam(required = false) List<String> status,
            @RequestParam(required = false) String noOpenFor,
            @RequestParam(required = false) String engagement,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String cursor,
            @Parameter(hidden = true) ServerWebExchange exchange) {
        ActivityListing.Query query = query(tenantId, status, noOpenFor, engagement, limit, cursor, clock.instant());
        requireTenant(ApiCaller.of(exchange), tenantId);
        return listing.page(query).map(page -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put(
                    "items",
                    page.items().stream()
                            .map(s -> ActivityView.of(s, clock.instant()))
                            .toList());
            body.put("nextCursor", page.next() == null ? null : page.next().encode());
            return body;
        });
    }

    @GetMapping(path = "/api/crm/streams/activities", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(
            summary = "Live state changes of a tenant's activities (server-sent events)",
            description = "event: activity, id: the state's version, data: the state with its badge; a heartbeat "
                    + "comment every 15 s.")
    @ApiResponse(
            responseCode = "200",
            description = "The stream",
            content =
                    @Content(
                            mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
                            examples = @ExampleObject(value = ApiDocumentation.STREAM)))
    @ApiResponse(
            responseCode = "400",
            description = "No tenantId, or not an id",
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
    Flux<ServerSentEvent<Object>> changes(
            @RequestParam(required = false) String tenantId, @Parameter(hidden = true) ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        checkTenant(tenantId, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        requireTenant(ApiCaller.of(exchange), tenantId);
        Flux<ServerSentEvent<Object>> changes = stream.changes()
                .filter(state -> tenantId.equals(state.tenantId()))
                .map(state -> ServerSentEvent.<Object>builder(ActivityView.of(state, clock.instant()))
                        .event("activity")
                        .id(Long.toString(state.version()))
                        .build());
        // keeps proxies from closing an idle stream, and tells the client the stream is alive
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(heartbeat)
                .map(tick ->
                        ServerSentEvent.<Object>builder().comment("heartbeat").build());
        return Flux.merge(changes, heartbeats);
    }

    /**
     * The activity {@code (tenant, activityId)}: a tenant-bound token's own tenant, else the one named. An all-tenant
     * token naming none gets the activity of that id when one tenant has it, and 400 on tenantId when several do.
     */
    private Mono<ActivityState> visible(String activityId, String tenantId, ApiCaller caller) {
        List<FieldError> errors = new ArrayList<>();
        if (!Ids.isValid(activityId)) {
            errors.add(new FieldError("activityId", "must be " + Ids.RULE));
        }
        if (tenantId != null && !Ids.isValid(tenantId)) {
            errors.add(new FieldError("tenantId", "must be " + Ids.RULE));
        }
        if (!errors.isEmpty()) {
            return Mono.error(ProblemException.validation(errors));
        }
        Mono<ActivityState> found;
        String tenant = caller.tenant() != null ? caller.tenant() : tenantId;
        if (tenantId != null && !caller.canSee(tenantId)) {
            found = Mono.empty();
        } else if (tenant != null) {
            found = states.find(new ActivityKey(tenant, activityId));
        } else {
            found = states.findInEveryTenant(activityId, 2)
                    .collectList()
                    .flatMap(every -> every.size() > 1
                            ? Mono.error(ProblemException.validation(List.of(new FieldError(
                                    "tenantId",
                                    "is required: activity " + activityId + " exists in more than one tenant"))))
                            : Mono.justOrEmpty(every.stream().findFirst()));
        }
        return found.switchIfEmpty(Mono.error(() -> ProblemException.notFound("No activity " + activityId)));
    }

    static void requireTenant(ApiCaller caller, String tenantId) {
        if (!caller.canSee(tenantId)) {
            throw ProblemException.notFound("No tenant " + tenantId);
        }
    }

    static void checkTenant(String tenantId, List<FieldError> errors) {
        if (tenantId == null || tenantId.isBlank()) {
            errors.add(new FieldError("tenantId", "is required"));
        } else if (!Ids.isValid(tenantId)) {
            errors.add(new FieldError("tenantId", "must be " + Ids.RULE));
        }
    }

    static ActivityListing.Query query(
            String tenantId,
            List<String> status,
            String noOpenFor,
            String engagement,
            Integer limit,
            String cursor,
            Instant now) {
        List<FieldError> errors = new ArrayList<>();
        checkTenant(tenantId, errors);
        Set<ActivityStatus> statuses = EnumSet.noneOf(ActivityStatus.class);
        for (String s : status == null ? List.<String>of() : status) {
            try {
                statuses.add(ActivityStatus.valueOf(s.trim().toUpperCase()));
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("status", "'" + s + "' is not one of " + List.of(ActivityStatus.values())));
            }
        }
        Duration quiet = null;
        if (noOpenFor != null) {
            try {
                quiet = Duration.parse(noOpenFor);
                if (quiet.isNegative()) {
                    errors.add(new FieldError("noOpenFor", "must not be negative"));
                } else if (quiet.compareTo(MAX_NO_OPEN_FOR) > 0) {
                    errors.add(new FieldError("noOpenFor", "must be at most P36500D"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("noOpenFor", "must be an ISO-8601 duration such as P3D or PT12H"));
            }
        }
        ActivityListing.Engagement counted = ActivityListing.Engagement.of(engagement == null ? "any" : engagement)
                .orElse(null);
        if (counted == null) {
            errors.add(new FieldError("engagement", "must be one of " + ActivityListing.Engagement.WIRE));
        }
        PageRequest page = PageRequest.of(limit, cursor, DEFAULT_LIMIT, Ids::isValid, errors);
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new ActivityListing.Query(
                tenantId, statuses, quiet == null ? null : now.minus(quiet), counted, page.after(), page.limit());
    }
}
