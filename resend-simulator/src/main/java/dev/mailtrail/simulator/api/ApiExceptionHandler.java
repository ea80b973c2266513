package dev.mailtrail.simulator.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** Renders failures of the Resend API in Resend's error shape. */
@RestControllerAdvice(basePackageClasses = ApiExceptionHandler.class)
class ApiExceptionHandler {

    @ExceptionHandler
    ResponseEntity<ResendError> resend(ResendApiException e) {
        return ResponseEntity.status(e.status()).body(e.toBody());
    }

    /** Unreadable JSON and the like. */
    @ExceptionHandler
    ResponseEntity<ResendError> unreadable(ServerWebInputException e) {
        return ResponseEntity.badRequest()
                .body(new ResendError(
                        HttpStatus.BAD_REQUEST.value(), "Invalid JSON in the request body.", "validation_error"));
    }
}
