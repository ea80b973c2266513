package dev.mailtrail.simulator.webhooks;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import dev.mailtrail.simulator.ResendTimes;
import dev.mailtrail.simulator.store.SentEmail;
import tools.jackson.databind.json.JsonMapper;

/** Builds webhook bodies exactly as Resend sends them: {@code {"type","created_at","data":{...}}}. */
@Component
public class ResendWebhookPayloads {

    static final String BOUNCE_MESSAGE = "The recipient's mail server permanently rejected the email. "
            + "Resend will not send to this address again.";

    private final JsonMapper mapper;

    public ResendWebhookPayloads(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /** The JSON body of {@code type} for {@code email}, happening at {@code occurredAt}. */
    public String envelope(SentEmail email, EmailEventType type, Instant occurredAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("created_at", ResendTimes.microsOffset(email.createdAt()));
        data.put("email_id", email.id());
        data.put("from", email.from());
        data.put("to", email.to());
        data.put("subject", email.subject());
        if (!email.tags().isEmpty()) {
            // Resend's documented webhook shape: an object of name -> value (the API takes a list of {name, value})
            Map<String, String> tags = new LinkedHashMap<>();
            email.tags().forEach(tag -> tags.put(tag.name(), tag.value()));
            data.put("tags", tags);
        }
        if (type == EmailEventType.BOUNCED) {
            Map<String, Object> bounce = new LinkedHashMap<>();
            bounce.put("type", "Permanent");
            bounce.put("subType", "General");
            bounce.put("message", BOUNCE_MESSAGE);
            data.put("bounce", bounce);
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", type.wireName());
        envelope.put("created_at", ResendTimes.millisZ(occurredAt));
        envelope.put("data", data);
        return mapper.writeValueAsString(envelope);
    }
}
