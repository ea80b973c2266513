package dev.mailtrail.send.query;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.send.auth.ApiCaller;
import dev.mailtrail.send.projection.ActivityStateRepository;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** What CRM services read: one activity's state. Another tenant's activity is as unknown as a missing one. */
@RestController
class ActivityQueryController {

    private final ActivityStateRepository states;

    ActivityQueryController(ActivityStateRepository states) {
        this.states = states;
    }

    @GetMapping("/api/crm/activities/{activityId}")
    Mono<ResponseEntity<Object>> activity(@PathVariable String activityId, ServerWebExchange exchange) {
        ApiCaller caller = ApiCaller.of(exchange);
        return states.find(activityId)
                .filter(state -> caller.canSee(state.tenantId()))
                .map(state -> ResponseEntity.ok().<Object>body(state))
                .defaultIfEmpty(ResponseEntity.status(ProblemCode.NOT_FOUND.status())
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .body(ProblemCode.NOT_FOUND.body("No activity " + activityId)));
    }
}
