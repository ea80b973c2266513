package dev.mailtrail.simulator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code POST /emails/batch}: up to 100 emails, each validated on its own so that permissive mode can send
 * the valid ones. Strict mode (Resend's default) refuses the whole batch with the first invalid email's error.
 */
record EmailBatch(List<Member> valid, List<Failure> errors) {

    static final int MAX_EMAILS = 100;
    static final String MODE_HEADER = "x-batch-validation";

    enum Mode {
        STRICT,
        PERMISSIVE;

        /** The {@code x-batch-validation} header's mode; strict when absent. */
        static Mode of(String header) {
            if (header == null || header.isBlank()) {
                return STRICT;
            }
            try {
                return valueOf(header.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ResendApiException.validation(
                        "Invalid `x-batch-validation` header. Use `strict` or `permissive`.");
            }
        }
    }

    /** A valid email of the batch, with its JSON as received. */
    record Member(int index, JsonNode body, SendEmailRequest request) {}

    /** Why the email at {@code index} was not sent (permissive mode's {@code errors}). */
    record Failure(int index, String message) {}

    /** Resend's batch response; {@code errors} only in permissive mode. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Response(List<EmailId> data, List<Failure> errors) {}

    static EmailBatch read(JsonNode body, JsonMapper mapper, Mode mode) {
        if (body == null || !body.isArray() || body.isEmpty()) {
            throw ResendApiException.validation("The request body must be an array of 1 to " + MAX_EMAILS + " emails.");
        }
        if (body.size() > MAX_EMAILS) {
            throw ResendApiException.validation("Too many emails in the batch. The maximum is " + MAX_EMAILS + ".");
        }
        List<Member> valid = new ArrayList<>();
        List<Failure> errors = new ArrayList<>();
        for (int i = 0; i < body.size(); i++) {
            JsonNode email = body.get(i);
            try {
                valid.add(new Member(i, email, readMember(email, mapper)));
            } catch (ResendApiException e) {
                if (mode == Mode.STRICT) {
                    throw e;
                }
                errors.add(new Failure(i, e.getMessage()));
            }
        }
        return new EmailBatch(valid, errors);
    }

    private static SendEmailRequest readMember(JsonNode email, JsonMapper mapper) {
        if (email != null && email.has("attachments")) {
            throw ResendApiException.validation("Attachments are not supported in batch emails.");
        }
        if (email != null && email.has("scheduled_at")) {
            throw ResendApiException.validation("`scheduled_at` is not supported in batch emails.");
        }
        return SendEmailRequest.read(email, mapper);
    }
}
