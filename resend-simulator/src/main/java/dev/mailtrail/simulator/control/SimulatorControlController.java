package dev.mailtrail.simulator.control;

import dev.mailtrail.simulator.LiveSettings;
import dev.mailtrail.simulator.api.IdempotencyKeys;
import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.store.LastRequest;
import dev.mailtrail.simulator.store.RecordedRequest;
import dev.mailtrail.simulator.store.SentEmail;
import dev.mailtrail.simulator.webhooks.DeliveryAttempt;
import dev.mailtrail.simulator.webhooks.DeliveryLog;
import dev.mailtrail.simulator.webhooks.EmailEventType;
import dev.mailtrail.simulator.webhooks.PendingWebhook;
import dev.mailtrail.simulator.webhooks.WebhookDispatcher;
import dev.mailtrail.simulator.webhooks.WebhookEventLog;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;
import tools.jackson.databind.json.JsonMapper;

/** The test tool's own API: what was received and delivered, runtime settings, events on demand. Unauthenticated. */
@RestController
@RequestMapping("/_simulator")
class SimulatorControlController {

    /** The emails sent under one idempotency key (a batch has several) and whether a request with it is running. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record KeyedEmails(String idempotencyKey, boolean inFlight, int count, List<ReceivedEmail> emails) {}

    private final EmailStore emails;
    private final DeliveryLog deliveries;
    private final IdempotencyKeys idempotencyKeys;
    private final LastRequest lastRequest;
    private final LiveSettings settings;
    private final WebhookDispatcher dispatcher;
    private final JsonMapper mapper;
    private final WebhookEventLog eventLog;

    SimulatorControlController(
            EmailStore emails,
            DeliveryLog deliveries,
            IdempotencyKeys idempotencyKeys,
            LastRequest lastRequest,
            LiveSettings settings,
            WebhookDispatcher dispatcher,
            JsonMapper mapper,
            WebhookEventLog eventLog) {
        this.emails = emails;
        this.deliveries = deliveries;
        this.idempotencyKeys = idempotencyKeys;
        this.lastRequest = lastRequest;
        this.settings = settings;
        this.dispatcher = dispatcher;
        this.mapper = mapper;
        this.eventLog = eventLog;
    }

    /** Every email received, oldest first. */
    @GetMapping("/emails")
    List<ReceivedEmail> emails() {
        return emails.all().stream().map(ReceivedEmail::of).toList();
    }

    /** One email as received: {@code html}, {@code text}, {@code tags} and {@code headers} at the top level. */
    @GetMapping("/emails/{id}")
    ReceivedEmail email(@PathVariable String id) {
        return emails.find(id)
                .map(ReceivedEmail::of)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No email " + id));
    }

    @GetMapping("/emails/by-idempotency-key/{key}")
    KeyedEmails emailsByIdempotencyKey(@PathVariable String key) {
        List<ReceivedEmail> sent = emails.all().stream()
                .filter(email -> key.equals(email.requestHeaders().get(IdempotencyKeys.HEADER)))
                .map(ReceivedEmail::of)
                .toList();
        return new KeyedEmails(key, idempotencyKeys.inFlight(key), sent.size(), sent);
    }

    /** Fires any email event for a received email now: {@code {"type":"email.clicked","click":{...}}}. */
    @PostMapping("/emails/{id}/events")
    ResponseEntity<Map<String, String>> fireEvent(@PathVariable String id, @RequestBody JsonNode body) {
        SentEmail email =
                emails.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No email " + id));
        EmailEventType type = EmailEventType.ofWireName(body.path("type").asString(""))
                .filter(t -> t != EmailEventType.RECEIVED)
                .orElseThrow(() -> new ResponseStatusException(
                        HttpStatus.BAD_REQUEST,
                        "type must be one of the email.* events the simulator knows, e.g. email.opened"));
        JsonNode detail = type.detailField().map(body::get).orElse(null);
        PendingWebhook webhook = dispatcher.fire(email, type, detail);
        return ResponseEntity.accepted().body(Map.of("svix_id", webhook.svixId(), "type", type.wireName()));
    }

    /** Every webhook delivery attempt, oldest first. */
    @GetMapping("/deliveries")
    List<DeliveryAttempt> deliveries() {
        return deliveries.all();
    }

    /** The last request on Resend's API paths (204 when none yet). */
    @GetMapping("/last-request")
    ResponseEntity<RecordedRequest> lastRequest() {
        return lastRequest
                .get()
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @GetMapping("/settings")
    SettingsBody settings() {
        return SettingsBody.of(settings.get());
    }

    /** Changes the fields given, keeps the others; unknown fields and out-of-range values are a 400. */
    @PutMapping("/settings")
    SettingsBody updateSettings(@RequestBody JsonNode body) {
        try {
            SettingsBody update = mapper.readerFor(SettingsBody.class)
                    .with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(body);
            settings.set(update.applyTo(settings.get()));
        } catch (JacksonException | IllegalArgumentException e) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        return settings();
    }

    /** Back to the start: forgets emails, deliveries (and the webhook event log), idempotency keys, the last request; settings as configured. */
    @PostMapping("/reset")
    ResponseEntity<Void> reset() {
        emails.clear();
        deliveries.clear();
        eventLog.clear();
        idempotencyKeys.clear();
        lastRequest.clear();
        settings.reset();
        return ResponseEntity.noContent().build();
    }
}
