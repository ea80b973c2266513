package dev.mailtrail.simulator.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mailtrail.simulator.Addresses;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The body of Resend's {@code POST /emails}; address fields take a string or an array. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SendEmailRequest(
        String from,

        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> to,

        String subject,
        String html,
        String text,

        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> cc,

        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> bcc,

        @JsonProperty("reply_to") @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
        List<String> replyTo,

        Map<String, String> headers,
        List<Tag> tags,
        @JsonProperty("scheduled_at") String scheduledAt) {

    static final int MAX_RECIPIENTS = 50;
    static final int MAX_TAGS = 75;
    private static final Pattern TAG_PART = Pattern.compile("[A-Za-z0-9_-]{1,256}");
    /** RFC 5322's field name: printable US-ASCII but the colon. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!-9;-~]{1,998}");

    private static final String ADDRESS_FORMAT =
            "The email address needs to follow the `email@example.com` " + "or `Name <email@example.com>` format.";

    public record Tag(String name, String value) {}

    /** Reads and validates one email of a request body; throws the {@link ResendApiException} Resend would answer. */
    static SendEmailRequest read(JsonNode body, JsonMapper mapper) {
        if (body == null || !body.isObject()) {
            throw ResendApiException.validation("The request body must be a JSON object.");
        }
        SendEmailRequest request;
        try {
            request = mapper.treeToValue(body, SendEmailRequest.class);
        } catch (JacksonException e) {
            throw ResendApiException.validation("Invalid request body: " + e.getOriginalMessage());
        }
        request.validate();
        return request;
    }

    /** Throws the {@link ResendApiException} Resend would answer with, if any. */
    public void validate() {
        if (isBlank(from)) {
            throw ResendApiException.missingField("from");
        }
        if (to == null || to.isEmpty() || to.stream().allMatch(SendEmailRequest::isBlank)) {
            throw ResendApiException.missingField("to");
        }
        if (isBlank(subject)) {
            throw ResendApiException.missingField("subject");
        }
        if (!Addresses.isPlausible(from)) {
            throw new ResendApiException(
                    HttpStatus.UNPROCESSABLE_CONTENT,
                    "invalid_from_address",
                    "Invalid `from` field. " + ADDRESS_FORMAT);
        }
        if (to.size() > MAX_RECIPIENTS) {
            throw ResendApiException.validation(
                    "Too many recipients in the `to` field. The maximum is " + MAX_RECIPIENTS + ".");
        }
        checkAddresses("to", to);
        checkAddresses("cc", cc);
        checkAddresses("bcc", bcc);
        checkAddresses("reply_to", replyTo);
        checkHeaders(headers);
        if (tags != null) {
            if (tags.size() > MAX_TAGS) {
                throw ResendApiException.validation("Too many tags. The maximum is " + MAX_TAGS + ".");
            }
            for (Tag tag : tags) {
                if (tag == null || !matches(tag.name()) || !matches(tag.value())) {
                    throw ResendApiException.validation("Tags should only contain ASCII letters (a-z, A-Z), "
                            + "numbers (0-9), underscores (_), or dashes (-), and be at most 256 characters.");
                }
            }
        }
    }

    /**
     * Resend takes {@code headers} as an object of header name → string value and writes them into the message: a
     * name that is no RFC 5322 field name, or a value with a line break or other control character (a second header
     * smuggled in), is refused.
     */
    private static void checkHeaders(Map<String, String> headers) {
        if (headers == null) {
            return;
        }
        headers.forEach((name, value) -> {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw ResendApiException.validation("Invalid `headers` field. Header names must be printable "
                        + "ASCII characters without spaces or colons.");
            }
            if (value == null || value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7F)) {
                throw ResendApiException.validation(
                        "Invalid `headers` field. The value of `" + name + "` must be a string without line breaks.");
            }
        });
    }

    private static void checkAddresses(String field, List<String> addresses) {
        if (addresses != null && !addresses.stream().allMatch(Addresses::isPlausible)) {
            throw ResendApiException.validation("Invalid `" + field + "` field. " + ADDRESS_FORMAT);
        }
    }

    private static boolean matches(String tagPart) {
        return tagPart != null && TAG_PART.matcher(tagPart).matches();
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
