package dev.mailtrail.ingest.web;

import java.util.Objects;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.WireJson;
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

/**
 * Every error no route answered itself, as problem+json like the routes' own ({@link Problems}): no route (404), a
 * method or media type a route does not take (405, 415, 406), and anything unexpected (500). Ahead of Spring
 * Boot's JSON error page (order -1), which would otherwise answer them.
 */
@Component
@Order(-2)
public class ProblemFallback implements WebExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemFallback.class);

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        ProblemCode code = ex instanceof ResponseStatusException status
                ? ProblemCode.forStatus(status.getStatusCode().value()) : ProblemCode.INTERNAL;
        String detail;
        if (code == ProblemCode.INTERNAL) {
            // the message may hold a sender's values: the type and the place only
            StackTraceElement[] trace = ex.getStackTrace();
            log.error("Unexpected {} at {}, answered 500", ex.getClass().getName(), trace.length > 0 ? trace[0] : "?");
            detail = "An unexpected error; it is logged";
        }
        else {
            ResponseStatusException status = (ResponseStatusException) ex;
            // Allow on a 405, Accept on a 415: how to ask again
            response.getHeaders().addAll(status.getHeaders());
            // Spring's own 404 detail would echo the path
            detail = code == ProblemCode.NOT_FOUND ? "No such route"
                    : Objects.requireNonNullElse(status.getBody().getDetail(), code.title());
        }
        response.setStatusCode(HttpStatus.valueOf(code.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] body = WireJson.mapper().writeValueAsBytes(code.body(detail));
        return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
    }
}
