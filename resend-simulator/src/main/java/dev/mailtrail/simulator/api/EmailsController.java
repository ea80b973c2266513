package dev.mailtrail.simulator.api;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.mailtrail.simulator.store.EmailAccepted;
import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.store.SentEmail;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Resend's {@code /emails} API. Authentication is {@link ApiKeyFilter}'s job. */
@RestController
class EmailsController {

    /** Request headers kept with each email so tests can inspect them. */
    static final List<String> RECORDED_HEADERS = List.of("Idempotency-Key", "User-Agent");

    private final EmailStore store;
    private final ApplicationEventPublisher events;
    private final JsonMapper mapper;

    EmailsController(EmailStore store, ApplicationEventPublisher events, JsonMapper mapper) {
        this.store = store;
        this.events = events;
        this.mapper = mapper;
    }

    @PostMapping("/emails")
    Map<String, String> send(@RequestBody(required = false) JsonNode body, @RequestHeader HttpHeaders headers) {
        SendEmailRequest request = parse(body);
        request.validate();
        SentEmail email = new SentEmail(UUID.randomUUID().toString(), Instant.now(), request.from(), request.to(),
                request.cc(), request.bcc(), request.replyTo(), request.subject(), request.html(), request.text(),
                request.headers(), toTags(request.tags()), request.scheduledAt(), recordedHeaders(headers), body,
                "queued");
        store.save(email);
        events.publishEvent(new EmailAccepted(email));
        return Map.of("id", email.id());
    }

    @GetMapping("/emails/{id}")
    RetrievedEmail retrieve(@PathVariable String id) {
        return store.find(id).map(RetrievedEmail::of)
                .orElseThrow(() -> ResendApiException.notFound("Email not found"));
    }

    private SendEmailRequest parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ResendApiException.validation("The request body must be a JSON object.");
        }
        try {
            return mapper.treeToValue(body, SendEmailRequest.class);
        } catch (JacksonException e) {
            throw ResendApiException.validation("Invalid request body: " + e.getOriginalMessage());
        }
    }

    private static List<SentEmail.Tag> toTags(List<SendEmailRequest.Tag> tags) {
        return tags == null ? List.of() : tags.stream().map(t -> new SentEmail.Tag(t.name(), t.value())).toList();
    }

    private static Map<String, String> recordedHeaders(HttpHeaders headers) {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String name : RECORDED_HEADERS) {
            String value = headers.getFirst(name);
            if (value != null) {
                recorded.put(name, value);
            }
        }
        return recorded;
    }
}
