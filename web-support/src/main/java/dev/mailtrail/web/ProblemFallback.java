package dev.mailtrail.web;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.WireJson;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Every error no route answered itself, as problem+json: a service's own problems ({@code own}), no route (404), a
 * method, body type or answer type a route does not take (405, 415, 406), and anything unexpected (500). Ahead of
 * Spring Boot's JSON error page (order -1), which would otherwise answer them. Each service declares one as a bean.
 */
public class ProblemFallback implements WebExceptionHandler, Ordered {

    /** A problem answer: its code (status, type) and its body. */
    public record Answer(ProblemCode code, Map<String, Object> body) {}

    private static final Logger log = LoggerFactory.getLogger(ProblemFallback.class);

    private final Function<Throwable, Optional<Answer>> own;

    /** {@code own}: the answer a service gives to an exception of its own, else empty. */
    public ProblemFallback(Function<Throwable, Optional<Answer>> own) {
        this.own = own;
    }

    @Override
    public int getOrder() {
        return -2;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
        ServerHttpResponse response = exchange.getResponse();
        if (response.isCommitted()) {
            return Mono.error(ex);
        }
        Optional<Answer> answer = own.apply(ex);
        if (answer.isPresent()) {
            return write(response, answer.get().code(), answer.get().body());
        }
        if (ex instanceof ResponseStatusException status) {
            ProblemCode code = ProblemCode.forStatus(status.getStatusCode().value());
            if (code != ProblemCode.INTERNAL) {
                // Allow on a 405, Accept on a 415: how to ask again
                response.getHeaders().addAll(status.getHeaders());
                return write(response, code, code.body(detail(code, status)));
            }
        }
        // the message may hold a caller's values (an id in a database error): the type and the place only
        StackTraceElement[] trace = ex.getStackTrace();
        log.error("Unexpected {} at {}, answered 500", ex.getClass().getName(), trace.length > 0 ? trace[0] : "?");
        return write(response, ProblemCode.INTERNAL, ProblemCode.INTERNAL.body("An unexpected error; it is logged"));
    }

    /** A problem answer written straight to the response, for whatever answers outside a route. */
    public static Mono<Void> write(ServerHttpResponse response, ProblemCode code, Map<String, Object> body) {
        response.setStatusCode(HttpStatus.valueOf(code.status()));
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        byte[] bytes = WireJson.mapper().writeValueAsBytes(body);
        return response.writeWith(
                Mono.fromSupplier(() -> response.bufferFactory().wrap(bytes)));
    }

    private static String detail(ProblemCode code, ResponseStatusException e) {
        // Spring's own 404 detail would echo the path ("No static resource …")
        return code == ProblemCode.NOT_FOUND
                ? "No such route"
                : Objects.requireNonNullElse(e.getBody().getDetail(), code.title());
    }
}
