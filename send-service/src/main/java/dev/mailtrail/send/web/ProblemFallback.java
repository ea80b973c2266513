package dev.mailtrail.send.web;

import java.util.Map;
import java.util.Objects;

import dev.mailtrail.events.ProblemCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every error no route and no {@link ProblemHandler} answered, as problem+json: no route (404), a method, body type
 * or answer type a route does not take (405, 415, 406), and anything unexpected (500). Ahead of Spring Boot's JSON
 * error page (order -1), which would otherwise answer them.
 */
@Component
@Order(-2)
public class ProblemFallback implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemFallback.class);

    private final JsonMapper json;

    public ProblemFallback(JsonMapper json) {
        this.json = json;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        if (ex instanceof ProblemException problem) {
            return write(response, problem.code(), problem.body());
        }
        ProblemCode code = ex instanceof ResponseStatusException status
                ? ProblemCode.forStatus(status.getStatusCode().value()) : ProblemCode.INTERNAL;
        if (code != ProblemCode.INTERNAL) {
            ResponseStatusException status = (ResponseStatusException) ex;
            // Allow on a 405, Accept on a 415: how to ask again
            response.getHeaders().addAll(status.getHeaders());
            return write(response, code, code.body(detail(code, status)));
        }
        // the message may hold a caller's values (an id in a database error): the type and the place only
        StackTraceElement[] trace = ex.getStackTrace();
        log.error("Unexpected {} at {}, answered 500", ex.getClass().getName(), trace.length > 0 ? trace[0] : "?");
        return write(response, ProblemCode.INTERNAL, ProblemCode.INTERNAL.body("An unexpected error; it is logged"));
    }

    /** A problem answer written straight to the response, for whatever answers outside a route. */
    public Mono<Void> write(ServerHttpResponse response, ProblemCode code, Map<String, Object> body) {
        response.setStatusCode(HttpStatus.valueOf(code.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(json.writeValueAsBytes(body))));
    }

    private static String detail(ProblemCode code, ResponseStatusException e) {
        // Spring's own 404 detail would echo the path ("No static resource …")
        return code == ProblemCode.NOT_FOUND ? "No such route"
                : Objects.requireNonNullElse(e.getBody().getDetail(), code.title());
    }
}
