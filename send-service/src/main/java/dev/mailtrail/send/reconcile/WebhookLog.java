package dev.mailtrail.send.reconcile;

import dev.mailtrail.send.resend.ResendClient;
import dev.mailtrail.send.resend.ResendClient.ApiAnswer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Resend's Headless Webhook API and {@code GET /emails/{id}}, read through the one {@link ResendClient} (its rate
 * limit). Every answer is untrusted: an unreadable one is an {@link Unavailable}, an id that is not 1–128 letters, digits, {@code _} or {@code -} is skipped.
 */
@Component
class WebhookLog {

    /** What a Resend id looks like (msg_..., UUIDs); anything else is never put into a path. */
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One event of the log. */
    record Event(String id, String status, Instant createdAt) {}

    /** One page, newest first. */
    record Page(List<Event> events, boolean hasMore) {}

    /** One delivery attempt: the HTTP status our endpoint answered, 0 when none. */
    record Attempt(int httpStatus, Instant at) {}

    /** Resend did not answer, or not in a shape we can read. */
    static final class Unavailable extends RuntimeException {
        Unavailable(String what) {
            super(what);
        }
    }

    private final ResendClient resend;

    WebhookLog(ResendClient resend) {
        this.resend = resend;
    }

    /** The ids of every webhook listed (one page of up to 100: more is a configuration to settle by hand). */
    List<String> webhooks() {
        List<String> ids = new ArrayList<>();
        read(HttpMethod.GET, "/webhooks?limit=100")
                .path("data")
                .forEach(w -> ids.add(w.path("id").asString("")));
        return ids;
    }

    Page events(String webhookId, String after, int limit) {
        JsonNode page = read(
                HttpMethod.GET,
                "/webhooks/" + encode(webhookId) + "/events?limit=" + limit
                        + (after == null ? "" : "&after=" + encode(after)));
        List<Event> events = new ArrayList<>();
        for (JsonNode e : page.path("data")) {
            String id = e.path("id").asString("");
            if (ResendClient.isResendId(id)) {
                events.add(new Event(id, e.path("status").asString(""), time(e.path("created_at"))));
            }
        }
        return new Page(events, page.path("has_more").asBoolean(false));
    }

    /** The event's attempts (the first page of 100: Svix makes 9 and we replay a few). */
    List<Attempt> attempts(String webhookId, String eventId) {
        List<Attempt> attempts = new ArrayList<>();
        read(HttpMethod.GET, "/webhooks/" + encode(webhookId) + "/events/" + encode(eventId) + "/attempts?limit=100")
                .path("data")
                .forEach(a ->
                        attempts.add(new Attempt(a.path("http_status_code").asInt(0), time(a.path("created_at")))));
        return attempts;
    }

    void replay(String webhookId, String eventId) {
        read(HttpMethod.POST, "/webhooks/" + encode(webhookId) + "/events/" + encode(eventId) + "/replay");
    }

    /** The email's {@code last_event}; empty when Resend has no such email. */
    Optional<String> lastEvent(String emailId) {
        ApiAnswer answer = resend.call(HttpMethod.GET, "/emails/" + encode(emailId));
        if (answer.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(parse(answer, "/emails/{id}").path("last_event").asString(""));
    }

    private JsonNode read(HttpMethod method, String path) {
        return parse(resend.call(method, path), path.replaceAll("\\?.*", ""));
    }

    private static JsonNode parse(ApiAnswer answer, String what) {
        if (!answer.ok()) {
            throw new Unavailable(what + ": " + (answer.unanswered() ? "no answer" : "HTTP " + answer.status()));
        }
        try {
            return JSON.readTree(answer.body());
        } catch (JacksonException e) {
            throw new Unavailable(what + ": unreadable answer");
        }
    }

    /** Resend writes {@code 2026-01-01T00:00:00.000Z} or {@code 2026-01-01 00:00:00.000000+00}; null when neither. */
    static Instant time(JsonNode value) {
        String text = value.asString("").trim().replace(' ', 'T');
        if (text.matches(".*[+-]\\d\\d$")) {
            text = text + ":00";
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String encode(String id) {
        if (!ResendClient.isResendId(id)) {
            throw new Unavailable("an id that is not a Resend id");
        }
        return id;
    }
}
