package dev.mailtrail.send.accept;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.mailtrail.events.Ids;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import dev.mailtrail.send.resend.ResendEmail;
import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.web.ProblemException.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether a send request (an HTTP body or a Kafka record, the same JSON) can be accepted: readable as a
 * {@link SendEmailCommand} and every field valid. Names each field that is not, so the caller fixes all at once.
 */
final class CommandCheck {

    static final int MAX_RECIPIENTS = 50;
    private static final String ADDRESS_RULE = "must be an address: addr@example.com or Name <addr@example.com>";
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    // a null inside a list or map is the caller's mistake, named, not an exception in the record's constructor;
    // absent numbers and booleans are 0 and false (HTTP callers leave out the schemaVersion, a Kafka record has it)
    private static final JsonMapper READER = WireJson.mapper()
            .rebuild()
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .withConfigOverride(List.class, o -> o.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            .withConfigOverride(Map.class, o -> o.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL)))
            .build();

    /** The command, when it could be read, and what is wrong with it (empty: valid). */
    record Checked(SendEmailCommand command, List<FieldError> errors) {}

    private CommandCheck() {}

    /** {@code wire}: a Kafka record, which must also carry the contract's schemaVersion. */
    static Checked check(byte[] json, boolean wire) {
        SendEmailCommand command;
        try {
            command = json == null || json.length == 0 ? null : READER.readValue(json, SendEmailCommand.class);
        } catch (JacksonException e) {
            return new Checked(null, List.of(unreadable(e)));
        }
        if (command == null) {
            return new Checked(null, List.of(new FieldError("body", "must be a JSON object")));
        }
        List<FieldError> errors = new ArrayList<>();
        if (wire && command.schemaVersion() != SendEmailCommand.SCHEMA_VERSION) {
            errors.add(new FieldError("schemaVersion", "must be " + SendEmailCommand.SCHEMA_VERSION));
        }
        id(errors, "activityId", command.activityId());
        id(errors, "tenantId", command.tenantId());
        address(errors, "from", command.from(), true);
        recipients(errors, "to", command.to(), 1);
        recipients(errors, "cc", command.cc(), 0);
        recipients(errors, "bcc", command.bcc(), 0);
        address(errors, "replyTo", command.replyTo(), false);
        if (text(errors, "subject", command.subject(), WireText.SUBJECT_MAX, false) && blank(command.subject())) {
            errors.add(new FieldError("subject", "is required"));
        }
        // no length of their own: the body (1 MiB over HTTP) or the Kafka record bounds them
        text(errors, "html", command.html(), Integer.MAX_VALUE, true);
        text(errors, "text", command.text(), Integer.MAX_VALUE, true);
        if (blank(command.html()) && blank(command.text())) {
            errors.add(new FieldError("html", "html or text is required"));
        }
        tags(errors, command.tags());
        return new Checked(command, errors);
    }

    private static void id(List<FieldError> errors, String field, String value) {
        if (!Ids.isValid(value)) {
            errors.add(new FieldError(field, "must be " + Ids.RULE));
        }
    }

    private static void recipients(List<FieldError> errors, String field, List<String> addresses, int min) {
        if (addresses.size() < min || addresses.size() > MAX_RECIPIENTS) {
            errors.add(new FieldError(field, "must have " + min + " to " + MAX_RECIPIENTS + " addresses"));
        }
        for (int i = 0; i < addresses.size(); i++) {
            address(errors, field + "[" + i + "]", addresses.get(i), true);
        }
    }

    private static void address(List<FieldError> errors, String field, String value, boolean required) {
        if ((value != null || required)
                && text(errors, field, value, WireText.ADDRESS_MAX, false)
                && (value == null || Addresses.bare(value).isEmpty())) {
            errors.add(new FieldError(field, ADDRESS_RULE));
        }
    }

    /**
     * Whether a value (null passes) is free of the characters that never pass ({@link WireText#firstForbidden}:
     * PostgreSQL refuses NUL, and the others have no place in a header) and at most {@code max} characters; names
     * the field when it is not.
     */
    private static boolean text(List<FieldError> errors, String field, String value, int max, boolean lineBreaks) {
        int forbidden = WireText.firstForbidden(value, lineBreaks);
        if (forbidden >= 0) {
            errors.add(new FieldError(
                    field,
                    "must not contain control characters%s or unpaired surrogates: "
                                    .formatted(lineBreaks ? " other than tab, CR and LF" : "")
                            + "U+%04X at index %d".formatted((int) value.charAt(forbidden), forbidden)));
            return false;
        }
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "must be at most " + max + " characters"));
            return false;
        }
        return true;
    }

    private static void tags(List<FieldError> errors, Map<String, String> tags) {
        if (tags.size() > ResendEmail.MAX_CALLER_TAGS) {
            errors.add(new FieldError("tags", "must have at most " + ResendEmail.MAX_CALLER_TAGS + " entries"));
        }
        tags.forEach((name, value) -> {
            if (!TAG.matcher(name).matches() || ResendEmail.OWN_TAGS.contains(name)) {
                errors.add(new FieldError(
                        "tags." + name,
                        "names must be 1-256 characters of A-Z, a-z, 0-9, _ and -, " + "and not "
                                + String.join(" or ", ResendEmail.OWN_TAGS)));
            }
            if (!TAG.matcher(value).matches()) {
                errors.add(new FieldError("tags." + name, "values must be 1-256 characters of A-Z, a-z, 0-9, _ and -"));
            }
        });
    }

    /** Not JSON, or JSON of the wrong shape: which field, without parser internals or class names. */
    private static FieldError unreadable(JacksonException e) {
        if (e instanceof StreamReadException) {
            return new FieldError("body", "is not valid JSON: " + e.getOriginalMessage());
        }
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty()
                ? new FieldError("body", "must be a JSON object")
                : new FieldError(path.toString(), "has the wrong type or a null entry");
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
