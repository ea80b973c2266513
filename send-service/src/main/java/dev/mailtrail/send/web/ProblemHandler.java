package dev.mailtrail.send.web;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.send.kafka.Faults;
import dev.mailtrail.web.Problems;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.MissingRequestValueException;
import org.springframework.web.server.ServerWebInputException;

/** Callers' mistakes as problem+json with the contract's codes. */
@RestControllerAdvice
public class ProblemHandler {

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<Object> problem(ProblemException e) {
        return respond(e);
    }

    /** Missing or unreadable parameters and bodies: the caller's mistake, named. */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<Object> input(ServerWebInputException e) {
        String field = e instanceof MissingRequestValueException missing
                ? missing.getName()
                : e.getMethodParameter() != null ? e.getMethodParameter().getParameterName() : "body";
        String message = e instanceof MissingRequestValueException ? "is required" : "is not readable";
        return respond(ProblemException.validation(List.of(new ProblemException.FieldError(field, message))));
    }

    /** What the checks let through but PostgreSQL refused, on any route: see {@link #unstored}. */
    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<Object> store(DataAccessException e) {
        if (Faults.dataFault(e).isEmpty()) {
            throw e;
        }
        return unstored(e, "request");
    }

    /**
     * A request that could not be stored: when PostgreSQL refused its data (a value past the checks that it cannot
     * keep), the caller's request, 400 {@code validation} naming {@code field}, since the same request would fail
     * again; otherwise our side (the database away), 503 {@code unavailable} with {@code Retry-After}.
     */
    public static ResponseEntity<Object> unstored(Throwable e, String field) {
        if (Faults.dataFault(e).isPresent()) {
            return respond(ProblemException.validation(List.of(new ProblemException.FieldError(
                    field, "holds a value that cannot be stored (control characters, or out of range)"))));
        }
        return Problems.unavailable("Could not store the request right now; try again");
    }

    public static ResponseEntity<Object> respond(ProblemException e) {
        ProblemCode code = e.code();
        ResponseEntity.BodyBuilder answer = Problems.status(code);
        if (code == ProblemCode.UNAUTHORIZED) {
            answer.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return answer.body(e.body());
    }
}
