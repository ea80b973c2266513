package dev.mailtrail.simulator.webhooks;

import dev.mailtrail.simulator.ResendTimes;
import dev.mailtrail.simulator.store.SentEmail;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Builds webhook bodies exactly as Resend sends them: {@code {"type","created_at","data":{...}}}. */
@Component
public class ResendWebhookPayloads {

    static final String BOUNCE_MESSAGE = "The recipient's mail server permanently rejected the email. "
            + "Resend will not send to this address again.";
    static final String SUPPRESSED_MESSAGE = "Resend has suppressed sending to this address because it is on the "
            + "account-level suppression list. This does not count toward your bounce rate metric";
    /** Where a simulated click comes from: a documentation address (RFC 5737), so it never names a real client. */
    static final String CLICK_IP = "203.0.113.7";

    static final String CLICK_USER_AGENT = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.4 Safari/605.1.15";
    static final String DEFAULT_LINK = "https://example.com/";
    private static final Pattern HREF =
            Pattern.compile("href\\s*=\\s*[\"']?(https?://[^\"'\\s>]+)", Pattern.CASE_INSENSITIVE);

    // Resend's detail objects; camelCase inside, as Resend sends them (unlike the snake_case envelope)
    record Bounce(String type, String subType, String message) {}

    record Click(String ipAddress, String link, String timestamp, String userAgent) {}

    record Failed(String reason) {}

    record Suppressed(String message, String type) {}

    private final JsonMapper mapper;

    public ResendWebhookPayloads(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The JSON body of {@code type} for {@code email}, happening at {@code occurredAt}, with default details. */
    public String envelope(SentEmail email, EmailEventType type, Instant occurredAt) {
        return envelope(email, type, occurredAt, null);
    }

    /** As above, with {@code detail} (when not {@code null}) in place of the type's default {@code bounce}, ... */
    public String envelope(SentEmail email, EmailEventType type, Instant occurredAt, JsonNode detail) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("created_at", ResendTimes.microsOffset(email.createdAt()));
        data.put("email_id", email.id());
        data.put("from", email.from());
        data.put("to", email.to());
        data.put("subject", email.subject());
        // every event the simulator emits comes from email.sent on, when Resend reports the Message-ID
        data.put("message_id", email.messageId());
        if (!email.tags().isEmpty()) {
            // Resend's documented webhook shape: an object of name -> value (the API takes a list of {name, value})
            Map<String, String> tags = new LinkedHashMap<>();
            email.tags().forEach(tag -> tags.put(tag.name(), tag.value()));
            data.put("tags", tags);
        }
        type.detailField()
                .ifPresent(field -> data.put(field, detail != null ? detail : defaultDetail(email, type, occurredAt)));
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type.wireName());
        envelope.put("created_at", ResendTimes.millisZ(occurredAt));
        envelope.put("data", data);
        return mapper.writeValueAsString(envelope);
    }

    private static Object defaultDetail(SentEmail email, EmailEventType type, Instant occurredAt) {
        return switch (type) {
            case BOUNCED -> new Bounce("Permanent", "General", BOUNCE_MESSAGE);
            case CLICKED ->
                new Click(CLICK_IP, firstLink(email.html()), ResendTimes.millisZ(occurredAt), CLICK_USER_AGENT);
            // the one reason Resend documents
            case FAILED -> new Failed("reached_daily_quota");
            case SUPPRESSED -> new Suppressed(SUPPRESSED_MESSAGE, "OnAccountSuppressionList");
            default -> throw new IllegalArgumentException(type + " has no details");
        };
    }

    /** The first http(s) link of the HTML, the one a simulated reader clicks; example.com when there is none. */
    static String firstLink(String html) {
        Matcher matcher = html == null ? null : HREF.matcher(html);
        return matcher != null && matcher.find() ? matcher.group(1).replace("&amp;", "&") : DEFAULT_LINK;
    }
}
