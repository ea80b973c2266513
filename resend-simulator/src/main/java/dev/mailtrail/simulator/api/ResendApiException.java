package dev.mailtrail.simulator.api;

import dev.mailtrail.simulator.QuotaState;
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
        return new ResendApiException(
                HttpStatus.UNAUTHORIZED, "missing_api_key", "Missing API key in the authorization header");
    }

    public static ResendApiException invalidApiKey() {
        return new ResendApiException(HttpStatus.FORBIDDEN, "invalid_api_key", "API key is invalid");
    }

    public static ResendApiException missingField(String field) {
        return new ResendApiException(
                HttpStatus.UNPROCESSABLE_CONTENT, "missing_required_field", "Missing `" + field + "` field.");
    }

    public static ResendApiException validation(String message) {
        return new ResendApiException(HttpStatus.UNPROCESSABLE_CONTENT, "validation_error", message);
    }

    /** Resend's answer to a {@code from} whose domain the account has not verified (a whole batch gets it too). */
    public static ResendApiException domainNotVerified(String domain) {
        return new ResendApiException(
                HttpStatus.FORBIDDEN,
                "validation_error",
                "The " + domain
                        + " domain is not verified. Please, add and verify your domain on https://resend.com/domains");
    }

    public static ResendApiException notFound(String message) {
        return new ResendApiException(HttpStatus.NOT_FOUND, "not_found", message);
    }

    public static ResendApiException rateLimited(int requestsPerSecond) {
        return new ResendApiException(
                HttpStatus.TOO_MANY_REQUESTS,
                "rate_limit_exceeded",
                "Too many requests. You can "
                        + "only make " + requestsPerSecond
                        + " requests per second. See rate limit response headers for more "
                        + "information. Or contact support to increase rate limit.");
    }

    /** The error a send answers while the quota switch is on; {@code null} when it is off. */
    static ResendApiException quota(QuotaState quota) {
        return switch (quota) {
            case NONE -> null;
            case DAILY ->
                new ResendApiException(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "daily_quota_exceeded",
                        "You have reached your daily email sending quota.");
            case MONTHLY ->
                new ResendApiException(
                        HttpStatus.TOO_MANY_REQUESTS,
                        "monthly_quota_exceeded",
                        "You have reached your monthly email sending quota.");
        };
    }

    static ResendApiException invalidIdempotencyKey() {
        return new ResendApiException(
                HttpStatus.BAD_REQUEST, "invalid_idempotency_key", "The key must be between 1-256 chars.");
    }

    static ResendApiException idempotentRequestMismatch() {
        return new ResendApiException(
                HttpStatus.CONFLICT,
                "invalid_idempotent_request",
                "Same idempotency key used with a different request payload. Change your idempotency key or payload.");
    }

    static ResendApiException idempotentRequestInFlight() {
        return new ResendApiException(
                HttpStatus.CONFLICT,
                "concurrent_idempotent_requests",
                "Same idempotency key used while original request is still in progress. Try the request again later.");
    }

    public HttpStatus status() {
        return status;
    }

    public ResendError toBody() {
        return new ResendError(status.value(), getMessage(), name);
    }
}
