package dev.mailtrail.simulator.api;

import dev.mailtrail.simulator.Addresses;
import dev.mailtrail.simulator.LiveSettings;
import dev.mailtrail.simulator.SimulatorSettings;
import dev.mailtrail.simulator.store.EmailAccepted;
import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.store.SentEmail;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Resend's {@code /emails} API. Authentication and rate limiting are {@link ResendApiFilter}'s job. */
@RestController
class EmailsController {

    /** Request headers kept with each email so tests can inspect them. */
    static final List<String> RECORDED_HEADERS = List.of(IdempotencyKeys.HEADER, "User-Agent");

    private final EmailStore store;
    private final IdempotencyKeys idempotency;
    private final LiveSettings settings;
    private final ApplicationEventPublisher events;
    private final JsonMapper mapper;

    EmailsController(
            EmailStore store,
            IdempotencyKeys idempotency,
            LiveSettings settings,
            ApplicationEventPublisher events,
            JsonMapper mapper) {
        this.store = store;
        this.idempotency = idempotency;
        this.settings = settings;
        this.events = events;
        this.mapper = mapper;
    }

    @PostMapping("/emails")
    Mono<Object> send(@RequestBody(required = false) JsonNode body, @RequestHeader HttpHeaders headers) {
        return process("/emails", body, headers, () -> {
            SendEmailRequest request = SendEmailRequest.read(body, mapper);
            requireVerifiedDomains(List.of(request));
            return accept(body, request, headers);
        });
    }

    @PostMapping("/emails/batch")
    Mono<Object> sendBatch(@RequestBody(required = false) JsonNode body, @RequestHeader HttpHeaders headers) {
        EmailBatch.Mode mode = EmailBatch.Mode.of(headers.getFirst(EmailBatch.MODE_HEADER));
        return process("/emails/batch", body, headers, () -> {
            EmailBatch batch = EmailBatch.read(body, mapper, mode);
            // not a validation error of one email: even a permissive batch is refused whole, nothing sent
            requireVerifiedDomains(
                    batch.valid().stream().map(EmailBatch.Member::request).toList());
            List<EmailId> ids = batch.valid().stream()
                    .map(m -> accept(m.body(), m.request(), headers))
                    .toList();
            return new EmailBatch.Response(ids, mode == EmailBatch.Mode.PERMISSIVE ? batch.errors() : null);
        });
    }

    @GetMapping("/emails/{id}")
    RetrievedEmail retrieve(@PathVariable String id) {
        return store.find(id).map(RetrievedEmail::of).orElseThrow(() -> ResendApiException.notFound("Email not found"));
    }

    /**
     * What every send goes through: the quota switch, the idempotency key, then the work itself after the
     * configured processing delay (during which the key is observably in flight).
     */
    private Mono<Object> process(String path, JsonNode body, HttpHeaders headers, Supplier<Object> work) {
        SimulatorSettings current = settings.get();
        ResendApiException quotaError = ResendApiException.quota(current.quotaExceeded());
        if (quotaError != null) {
            return Mono.error(quotaError);
        }
        return idempotency.process(
                headers.getFirst(IdempotencyKeys.HEADER),
                path,
                body,
                Mono.delay(current.processingDelay()).then(Mono.fromSupplier(work)));
    }

    private void requireVerifiedDomains(List<SendEmailRequest> emails) {
        SimulatorSettings current = settings.get();
        for (SendEmailRequest email : emails) {
            String domain = Addresses.domain(email.from());
            if (current.unverified(domain)) {
                throw ResendApiException.domainNotVerified(domain);
            }
        }
    }

    /** Stores the email and sets its webhooks going. */
    private EmailId accept(JsonNode body, SendEmailRequest request, HttpHeaders headers) {
        SentEmail email = new SentEmail(
                UUID.randomUUID().toString(),
                Instant.now(),
                request.from(),
                request.to(),
                request.cc(),
                request.bcc(),
                request.replyTo(),
                request.subject(),
                request.html(),
                request.text(),
                request.headers(),
                toTags(request.tags()),
                request.scheduledAt(),
                recordedHeaders(headers),
                body,
                "queued");
        store.save(email);
        events.publishEvent(new EmailAccepted(email));
        return new EmailId(email.id());
    }

    private static List<SentEmail.Tag> toTags(List<SendEmailRequest.Tag> tags) {
        return tags == null
                ? List.of()
                : tags.stream().map(t -> new SentEmail.Tag(t.name(), t.value())).toList();
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
