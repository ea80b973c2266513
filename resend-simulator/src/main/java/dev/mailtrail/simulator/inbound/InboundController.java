package dev.mailtrail.simulator.inbound;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mailtrail.simulator.ResendTimes;
import dev.mailtrail.simulator.api.ResendApiException;
import dev.mailtrail.simulator.webhooks.EmailEventType;
import dev.mailtrail.simulator.webhooks.PendingWebhook;
import dev.mailtrail.simulator.webhooks.WebhookDispatcher;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.json.JsonMapper;

/**
 * Inbound mail: {@code POST /_simulator/inbound} stands for a message arriving at one of our receiving domains —
 * stored, announced by a signed {@code email.received} (metadata only, as Resend sends it), and served in full by
 * Resend's Receiving API {@code GET /emails/receiving/{id}} (behind the API's key and rate limit, as every
 * {@code /emails/*} path).
 */
@RestController
class InboundController {

    /** What a test posts: the message as its sender's client would have written it. */
    record InboundRequest(String from, List<String> to, String subject, Map<String, String> headers, String text) {}

    /** Resend's {@code GET /emails/receiving/{id}} body (absent fields {@code null}, as Resend sends them). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({
        "object",
        "id",
        "to",
        "from",
        "created_at",
        "subject",
        "html",
        "text",
        "headers",
        "bcc",
        "cc",
        "reply_to",
        "message_id",
        "attachments"
    })
    record ReceivedEmail(
            String object,
            String id,
            List<String> to,
            String from,
            String createdAt,
            String subject,
            String html,
            String text,
            Map<String, String> headers,
            List<String> bcc,
            List<String> cc,
            List<String> replyTo,
            String messageId,
            List<Object> attachments) {

        static ReceivedEmail of(InboundEmail email) {
            return new ReceivedEmail(
                    "email",
                    email.id(),
                    email.to(),
                    email.from(),
                    ResendTimes.microsOffset(email.createdAt()),
                    email.subject(),
                    null,
                    email.text(),
                    email.headers(),
                    List.of(),
                    List.of(),
                    List.of(),
                    email.messageId(),
                    List.of());
        }
    }

    private final InboundStore store;
    private final WebhookDispatcher dispatcher;
    private final JsonMapper mapper;

    InboundController(InboundStore store, WebhookDispatcher dispatcher, JsonMapper mapper) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.mapper = mapper;
    }

    @PostMapping("/_simulator/inbound")
    ResponseEntity<Map<String, String>> receive(@RequestBody InboundRequest request) {
        if (request.from() == null || request.to() == null || request.to().isEmpty()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "from and to are required");
        }
        String id = UUID.randomUUID().toString();
        Map<String, String> headers = request.headers() == null ? Map.of() : request.headers();
        String messageId = headers.entrySet().stream()
                .filter(h -> h.getKey().equalsIgnoreCase("Message-ID"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse("<" + id + "@inbound.simulator.test>");
        InboundEmail email = new InboundEmail(
                id, Instant.now(), request.from(), request.to(), request.subject(), headers, request.text(), messageId);
        store.save(email);
        PendingWebhook webhook = dispatcher.fire(id, EmailEventType.RECEIVED, envelope(email));
        return ResponseEntity.accepted().body(Map.of("id", id, "svix_id", webhook.svixId()));
    }

    /** Resend's error body for an unknown id (the API's exception advice covers the api package only). */
    @GetMapping("/emails/receiving/{id}")
    ResponseEntity<?> retrieve(@PathVariable String id) {
        return store.find(id)
                .<ResponseEntity<?>>map(email -> ResponseEntity.ok(ReceivedEmail.of(email)))
                .orElseGet(() -> {
                    ResendApiException notFound = ResendApiException.notFound("Email not found");
                    return ResponseEntity.status(notFound.status()).body(notFound.toBody());
                });
    }

    /** Resend's {@code email.received}: metadata only; headers and body come from the Receiving API. */
    private String envelope(InboundEmail email) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("email_id", email.id());
        data.put("created_at", ResendTimes.microsOffset(email.createdAt()));
        data.put("from", email.from());
        data.put("to", email.to());
        data.put("bcc", List.of());
        data.put("cc", List.of());
        data.put("message_id", email.messageId());
        data.put("subject", email.subject());
        data.put("attachments", List.of());
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("type", EmailEventType.RECEIVED.wireName());
        envelope.put("created_at", ResendTimes.millisZ(email.createdAt()));
        envelope.put("data", data);
        return mapper.writeValueAsString(envelope);
    }
}
