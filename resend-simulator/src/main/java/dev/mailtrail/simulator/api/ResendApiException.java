package dev.mailtrail.simulator.api;

import org.springframework.http.HttpStatus;

/** A request Resend would refuse; rendered as its {@code {"statusCode","message","name"}} body. */
public class ResendApiException extends RuntimeException {

    private final HttpStatus status;
    private final String name;

    public ResendApiException(HttpStatus status, String name, String message) {
        super(message);
        this.status = status;
        this.name = name;
    }

    public static ResendApiException missingApiKey() {
        return new ResendApiException(HttpStatus.UNAUTHORIZED, "missing_api_key",
                "Missing API key in the authorization header");
    }

    public static ResendApiException invalidApiKey() {
        return new ResendApiException(HttpStatus.FORBIDDEN, "invalid_api_key", "API key is invalid");
    }

    public static ResendApiException missingField(String field) {
        return new ResendApiException(HttpStatus.UNPROCESSABLE_CONTENT, "missing_required_field",
                "Missing `" + field + "` field.");
    }

    public static ResendApiException validation(String message) {
        return new ResendApiException(HttpStatus.UNPROCESSABLE_CONTENT, "validation_error", message);
    }

    public static ResendApiException notFound(String message) {
        return new ResendApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    public HttpStatus status() {
        return status;
    }

    public ResendError toBody() {
        return new ResendError(status.value(), getMessage(), name);
    }
}
