package dev.mailtrail.send.resend;

import dev.mailtrail.events.WireJson;
import io.netty.channel.ConnectTimeoutException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * What one call to Resend came to, following Resend's documented semantics: rate limits, concurrent use of a key,
 * 5xx and anything without an answer are retried; quota errors wait for the quota to reset; every other 4xx is final.
 */
public sealed interface ResendOutcome {

    /** 2xx: one result per email of the call, in order (a permissive batch may refuse some). */
    record Accepted(List<Result> results) implements ResendOutcome {}

    /** An email Resend took (messageId) or refused (error). */
    record Result(String messageId, String error) {}

    /**
     * Try again under the same key, not before {@code earliest} (null: backoff alone decides). {@code maybeSent}: this
     * attempt's outcome is unknown, Resend may have sent.
     */
    record Retry(Reason reason, Instant earliest, boolean maybeSent) implements ResendOutcome {}

    /**
     * Refused for good: a 4xx other than the retryable ones. {@code content}: about what was sent (a field, a domain),
     * so for a batch possibly one email's fault; false when about the API key or the idempotency key's history.
     */
    record Rejected(String reason, boolean content) implements ResendOutcome {}

    enum Reason {
        RATE_LIMITED,
        RETRIED,
        TIMEOUT,
        QUOTA_EXCEEDED
    }

    /** Refusals of the call itself: every email of it, alone or not, would be refused the same. */
    Set<String> NOT_ABOUT_CONTENT = Set.of(
            "missing_api_key",
            "invalid_api_key",
            "restricted_api_key",
            "invalid_idempotency_key",
            "invalid_idempotent_request");

    /** An HTTP answer; {@code retryAfter} from {@code retry-after} or {@code ratelimit-reset}, null when absent. */
    static ResendOutcome answered(int status, String body, Duration retryAfter, int emails, Instant now) {
        Instant hinted = retryAfter == null ? null : now.plus(retryAfter);
        if (status >= 200 && status < 300) {
            List<Result> results = results(body, emails);
            // taken, but we cannot tell which id is whose: the same key will give the same answer again
            return results != null ? new Accepted(results) : new Retry(Reason.RETRIED, hinted, true);
        }
        String name = field(body, "name");
        if (status == 429) {
            return switch (name == null ? "" : name) {
                case "daily_quota_exceeded" ->
                    new Retry(
                            Reason.QUOTA_EXCEEDED,
                            hinted != null
                                    ? hinted
                                    : day(now).plusDays(1)
                                            .atStartOfDay(ZoneOffset.UTC)
                                            .toInstant(),
                            false);
                case "monthly_quota_exceeded" ->
                    new Retry(
                            Reason.QUOTA_EXCEEDED,
                            hinted != null
                                    ? hinted
                                    : day(now).withDayOfMonth(1)
                                            .plusMonths(1)
                                            .atStartOfDay(ZoneOffset.UTC)
                                            .toInstant(),
                            false);
                default -> new Retry(Reason.RATE_LIMITED, hinted, false);
            };
        }
        if (status >= 500 || status == 409 && "concurrent_idempotent_requests".equals(name)) {
            return new Retry(Reason.RETRIED, hinted, false);
        }
        String what = name != null ? name : "HTTP " + status;
        String message = field(body, "message");
        // Resend's sending endpoints answer an unknown API key 401 validation_error, a revoked one 403 invalid_api_key
        boolean content = status != 401 && !NOT_ABOUT_CONTENT.contains(what);
        return new Rejected(message == null ? what : what + ": " + message, content);
    }

    /**
     * No answer. Refused or unresolvable connections never reached Resend; anything else (no response in time, a
     * connection dropped mid-call) may have been processed there.
     */
    static ResendOutcome unanswered(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof ConnectException
                    || e instanceof ConnectTimeoutException
                    || e instanceof UnknownHostException) {
                return new Retry(Reason.RETRIED, null, false);
            }
        }
        return new Retry(Reason.TIMEOUT, null, true);
    }

    /** {@code {"id"}} for one email, {@code {"data":[{"id"}],"errors":[{"index","message"}]}} for a batch. */
    private static List<Result> results(String body, int emails) {
        JsonNode json = tree(body);
        if (json == null) {
            return null;
        }
        if (json.has("id")) {
            return emails == 1 ? List.of(new Result(json.get("id").asString(), null)) : null;
        }
        Map<Integer, String> errors = new HashMap<>();
        json.path("errors")
                .forEach(e ->
                        errors.put(e.path("index").asInt(-1), e.path("message").asString("refused")));
        Iterator<JsonNode> ids = json.path("data").iterator();
        List<Result> results = new ArrayList<>(emails);
        for (int i = 0; i < emails; i++) {
            if (errors.containsKey(i)) {
                results.add(new Result(null, errors.get(i)));
            } else if (ids.hasNext()) {
                results.add(new Result(ids.next().path("id").asString(), null));
            } else {
                return null;
            }
        }
        return ids.hasNext() ? null : results;
    }

    private static String field(String body, String name) {
        JsonNode json = tree(body);
        JsonNode value = json == null ? null : json.get(name);
        return value == null || !value.isString() ? null : value.asString();
    }

    private static JsonNode tree(String body) {
        try {
            JsonNode json =
                    body == null || body.isBlank() ? null : WireJson.mapper().readTree(body);
            return json != null && json.isObject() ? json : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static LocalDate day(Instant now) {
        return now.atZone(ZoneOffset.UTC).toLocalDate();
    }
}
