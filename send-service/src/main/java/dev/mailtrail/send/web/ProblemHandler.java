package dev.mailtrail.send.web;

import java.util.List;

import dev.mailtrail.events.ProblemCode;
import org.springframework.http.MediaType;
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
        String field = e instanceof MissingRequestValueException missing ? missing.getName()
                : e.getMethodParameter() != null ? e.getMethodParameter().getParameterName() : "body";
        String message = e instanceof MissingRequestValueException ? "is required" : "is not readable";
        return respond(ProblemException.validation(List.of(new ProblemException.FieldError(field, message))));
    }

    public static ResponseEntity<Object> respond(ProblemException e) {
        ProblemCode code = e.code();
        return ResponseEntity.status(code.status()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(e.body());
    }
}
