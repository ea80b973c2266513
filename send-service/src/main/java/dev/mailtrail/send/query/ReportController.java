package dev.mailtrail.send.query;

import dev.mailtrail.send.auth.ApiCaller;
import dev.mailtrail.send.web.ApiDocumentation;
import dev.mailtrail.send.web.ProblemException.FieldError;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** Engagement reports of a tenant, and which tenant a token is bound to (what the page asks first). */
@RestController
// every route needs the bearer token: its 401 is documented once, for all of them
@ApiResponse(
        responseCode = "401",
        description = "No or an unknown bearer token",
        content =
                @Content(
                        mediaType = ApiDocumentation.PROBLEM_JSON,
                        examples = @ExampleObject(value = ApiDocumentation.UNAUTHORIZED)))
class ReportController {

    static final String REPORT = """
            {"groups":[{"key":"alpha","sent":10,"delivered":8,"bounced":2,"complained":1,"failed":0,"suppressed":0,\
            "opened":6,"humanOpened":4,"machineOnlyOpened":1,"clicked":3,"humanClicked":2,"replied":0,"unsubscribed":0,\
            "deliveryRate":0.8,"openRate":0.75,"humanOpenRate":0.5,"clickRate":0.375,"clickToOpenRate":0.5,\
            "replyRate":0.0},{"key":null,"sent":0,"delivered":0,"bounced":0,"complained":0,"failed":1,"suppressed":0,\
            "opened":0,"humanOpened":0,"machineOnlyOpened":0,"clicked":0,"humanClicked":0,"replied":0,\
            "unsubscribed":0,"deliveryRate":null,"openRate":null,"humanOpenRate":null,"clickRate":null,\
            "clickToOpenRate":null,"replyRate":null}],\
            "totals":{"sent":10,"delivered":8,"bounced":2,"complained":1,"failed":1,"suppressed":0,"opened":6,\
            "humanOpened":4,"machineOnlyOpened":1,"clicked":3,"humanClicked":2,"replied":0,"unsubscribed":0,\
            "deliveryRate":0.8,"openRate":0.75,"humanOpenRate":0.5,"clickRate":0.375,"clickToOpenRate":0.5,\
            "replyRate":0.0},"truncated":false}""";

    private final EngagementReport reports;

    ReportController(EngagementReport reports) {
        this.reports = reports;
    }

    @GetMapping("/api/crm/reports/engagement")
    @Operation(
            summary = "A tenant's engagement: counts of activities and their rates, per group",
            description = "Counts are activities (an activity opened ten times is one opened), by the UTC day it was "
                    + "sent; from and to (YYYY-MM-DD, inclusive) bound that day. groupBy: none (one group, key "
                    + "\"all\"), day (key YYYY-MM-DD), tag:<name> (key: the tag's value; activities without the tag "
                    + "under null), link (key: the clicked URL; the activities with a click on it). opened is a human "
                    + "or unknown open (or a click); machine-only opens are apart. Rates are 0-1: deliveryRate over "
                    + "sent, clickToOpenRate over opened, the others over delivered; null when that is 0. At most "
                    + "1,000 groups (truncated: true when there are more). tag=<name>:<value> reports only the "
                    + "activities with that tag (totals included), grouped by none or day.")
    @ApiResponse(
            responseCode = "200",
            description = "The report (here groupBy=tag:campaign)",
            content = @Content(mediaType = "application/json", examples = @ExampleObject(value = REPORT)))
    @ApiResponse(
            responseCode = "400",
            description = "tenantId, from, to or groupBy invalid, each named",
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
    Mono<Map<String, Object>> engagement(
            @RequestParam(required = false) String tenantId,
            @Parameter(description = "First send day, YYYY-MM-DD (UTC)") @RequestParam(required = false) String from,
            @Parameter(description = "Last send day, YYYY-MM-DD (UTC)") @RequestParam(required = false) String to,
            @Parameter(description = "none (default), day, link or tag:<name>") @RequestParam(required = false)
                    String groupBy,
            @Parameter(description = "<name>:<value>: only the activities with that tag (groupBy none or day)")
                    @RequestParam(required = false)
                    String tag,
            @Parameter(hidden = true) ServerWebExchange exchange) {
        List<FieldError> errors = new ArrayList<>();
        ActivityQueryController.checkTenant(tenantId, errors);
        EngagementReport.Query query = EngagementReport.query(tenantId, from, to, groupBy, tag, errors);
        ActivityQueryController.requireTenant(ApiCaller.of(exchange), tenantId);
        return reports.report(query);
    }

    @GetMapping("/api/crm/caller")
    @Operation(
            summary = "The tenant this token is bound to",
            description = "tenantId is null for a token that sees every tenant.")
    @ApiResponse(
            responseCode = "200",
            content =
                    @Content(
                            mediaType = "application/json",
                            examples = @ExampleObject(value = "{\"tenantId\":\"acme\"}")))
    Map<String, Object> caller(@Parameter(hidden = true) ServerWebExchange exchange) {
        Map<String, Object> body = new HashMap<>();
        body.put("tenantId", ApiCaller.of(exchange).tenant());
        return body;
    }
}
