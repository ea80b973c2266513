package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Whether each probe of the poison drill met its fate, judged from what was answered, stored and dead-lettered. */
final class PoisonVerdicts {

    /** One applied event as PostgreSQL holds it, with its activity's text columns. */
    record StoredEvent(
            String eventId,
            String activityId,
            Instant occurredAt,
            String payload,
            String subject,
            String recipient,
            List<String> links) {}

    /**
     * Everything seen once the pipeline settled.
     *
     * @param answers       HTTP probes' answers
     * @param acknowledged  Kafka probes Kafka acknowledged
     * @param byEvent       applied events by eventId
     * @param byActivity    applied events by activityId
     * @param sendRequests  activityIds with a stored send request
     * @param deadLetters   per dead-letter topic: record key → reason
     * @param sentFrom      when the drill began sending (a replaced time is the time received: after this)
     * @param settledAt     when the evidence was read (and before which every time received lies)
     */
    record Evidence(
            Map<Probe, Answer> answers,
            Set<Probe> acknowledged,
            Map<String, StoredEvent> byEvent,
            Map<String, List<StoredEvent>> byActivity,
            Set<String> sendRequests,
            Map<String, Map<String, String>> deadLetters,
            Instant sentFrom,
            Instant settledAt) {}

    /** A Java class name (package.Class) in a reason: an exception's text leaked instead of a reason. */
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.){2,}[A-Z]\\w*");

    private static final Duration CLOCK_SLACK = Duration.ofMinutes(1);

    private PoisonVerdicts() {}

    /** Null when the probe met its fate, else what went wrong. */
    static String judge(Probe p, Evidence ev) {
        Answer answer = ev.answers().get(p);
        if (p.channel().http()) {
            if (answer == null) {
                return "never sent";
            }
            if (!p.statuses().contains(answer.status())) {
                return "answered " + answer.statusKey() + (answer.error() != null ? " (" + answer.error() + ")" : "")
                        + ", expected "
                        + String.join(
                                " or ",
                                p.statuses().stream().map(String::valueOf).toList());
            }
        } else if (!ev.acknowledged().contains(p)) {
            return "not acknowledged by Kafka";
        }
        boolean stored = stored(p, ev);
        return switch (p.expect()) {
            case APPLIED -> stored ? null : "not applied";
            case CLEANED ->
                answer != null && answer.status() >= 400
                        ? null // refused by the HTTP layer, as allowed
                        : stored ? clean(p, ev) : "accepted but not applied";
            case REFUSED -> stored ? "refused, yet stored" : refusal(p, answer);
            case DEAD_LETTERED -> stored ? "applied, though it is poison" : deadLetter(p, ev);
            case ANSWERED -> null;
        };
    }

    static boolean stored(Probe p, Evidence ev) {
        return switch (p.channel()) {
            case SEND_HTTP, SEND_KAFKA -> ev.sendRequests().contains(p.id());
            case WEBHOOK, EVENT_KAFKA -> ev.byEvent().containsKey(p.id());
            case TRACKING -> ev.byActivity().containsKey(p.id());
        };
    }

    /** A 400 {@code validation} problem whose {@code errors} (or, failing that, {@code detail}) name the field. */
    static String refusal(Probe p, Answer a) {
        if (a.contentType() == null || !a.contentType().startsWith("application/problem+json")) {
            return "content type " + a.contentType() + ", expected application/problem+json";
        }
        JsonNode body = WireJson.mapper().readTree(a.body());
        String type = body.path("type").asString("");
        if (!type.equals(ProblemCode.VALIDATION.type().toString())) {
            return "problem type " + type + ", expected " + ProblemCode.VALIDATION.type();
        }
        for (JsonNode error : body.path("errors")) {
            if (names(error.path("field").asString(""), p.field())) {
                return null;
            }
        }
        return body.path("detail").asString("").contains(p.field())
                ? null
                : "the problem does not name " + p.field() + ": " + SendBench.abbreviate(a.text());
    }

    /** "to" is named by "to", "to[0]" or "to.x"; "tags" by "tags.campaign"; "email_id" by "data.email_id". */
    static boolean names(String errorField, String field) {
        return errorField.equals(field)
                || errorField.startsWith(field + "[")
                || errorField.startsWith(field + ".")
                || errorField.endsWith("." + field);
    }

    static String deadLetter(Probe p, Evidence ev) {
        String topic = p.channel().deadLetterTopic;
        String reason =
                ev.deadLetters().getOrDefault(topic, Map.of()).get(p.record().key());
        if (reason == null) {
            return "not in " + topic;
        }
        if (reason.isBlank()) {
            return "in " + topic + " without a reason";
        }
        if (CLASS_NAME.matcher(reason).find()) {
            return "in " + topic + ", its reason shows a class name: " + SendBench.abbreviate(reason);
        }
        if (p.field() != null && !reason.contains(p.field())) {
            return "in " + topic + ", its reason does not name " + p.field() + ": " + SendBench.abbreviate(reason);
        }
        return null;
    }

    /** Each stored copy holds only safe text within its limits, at the time received when the provider's was impossible. */
    static String clean(Probe p, Evidence ev) {
        List<StoredEvent> rows = p.channel() == Channel.TRACKING
                ? ev.byActivity().get(p.id())
                : List.of(ev.byEvent().get(p.id()));
        for (StoredEvent row : rows) {
            String wrong = TextCheck.firstProblem(WireJson.mapper().readTree(row.payload()), "");
            if (wrong == null) {
                wrong = stateText(row);
            }
            if (wrong == null
                    && p.receivedTime()
                    && (row.occurredAt().isBefore(ev.sentFrom().minus(CLOCK_SLACK))
                            || row.occurredAt().isAfter(ev.settledAt().plus(CLOCK_SLACK)))) {
                wrong = "occurredAt " + row.occurredAt() + " is not the time received";
            }
            if (wrong != null) {
                return "applied, but " + wrong;
            }
        }
        return null;
    }

    private static String stateText(StoredEvent row) {
        String wrong = TextCheck.problem("state subject", row.subject(), WireText.SUBJECT_MAX);
        if (wrong == null) {
            wrong = TextCheck.problem("state recipient", row.recipient(), WireText.ADDRESS_MAX);
        }
        for (int i = 0; wrong == null && i < row.links().size(); i++) {
            wrong = TextCheck.problem("state link", row.links().get(i), WireText.URL_MAX);
        }
        return wrong;
    }
}
