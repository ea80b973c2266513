package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.PoisonVerdicts.Evidence;
import dev.mailtrail.bench.PoisonVerdicts.StoredEvent;
import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.bench.Probe.Expect;
import dev.mailtrail.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PoisonVerdictsTests {

    private static final Instant FROM = Instant.parse("2026-12-03T10:00:00Z");
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String VALIDATION = "https://mailtrail.dev/problems/validation";

    private final Map<Probe, Answer> answers = new HashMap<>();
    private final Set<Probe> acknowledged = new HashSet<>();
    private final Map<String, StoredEvent> byEvent = new HashMap<>();
    private final Map<String, List<StoredEvent>> byActivity = new HashMap<>();
    private final Set<String> sendRequests = new HashSet<>();
    private final Map<String, Map<String, String>> deadLetters = new HashMap<>();

    private Evidence evidence() {
        return new Evidence(
                answers, acknowledged, byEvent, byActivity, sendRequests, deadLetters, FROM, FROM.plusSeconds(60));
    }

    private static Probe http(Channel channel, Expect expect, String id, String field, Integer... statuses) {
        return Probe.http(channel, "k", expect, id, field, List.of(statuses), Request.get("/", Map.of()));
    }

    private static Probe kafka(Channel channel, Expect expect, String key, String field) {
        return Probe.kafka(
                channel, "k", expect, "id-" + key, field, new ProducerRecord<>(Topics.EVENTS, key, new byte[0]));
    }

    private static Answer answer(int status, String contentType, String body) {
        return new Answer(status, contentType, null, body.getBytes(StandardCharsets.UTF_8), 1, null);
    }

    private static String problem(String type, String errorField, String detail) {
        return "{\"type\":\"" + type + "\",\"status\":400,\"detail\":\"" + detail + "\",\"errors\":[{\"field\":\""
                + errorField + "\",\"message\":\"m\"}]}";
    }

    private void store(String eventId, String activityId, Instant at, String payload, String subject) {
        StoredEvent e =
                new StoredEvent(eventId, activityId, at, payload, subject, "a@b.test", List.of("https://acme.test/"));
        byEvent.put(eventId, e);
        byActivity.computeIfAbsent(activityId, k -> new ArrayList<>()).add(e);
    }

    @Test
    void aRefusalIsA400ValidationProblemNamingTheField() {
        Probe p = http(Channel.SEND_HTTP, Expect.REFUSED, "a1", "to", 400);
        answers.put(p, answer(400, PROBLEM_JSON, problem(VALIDATION, "to[0]", "Validation failed")));
        assertThat(PoisonVerdicts.judge(p, evidence())).isNull();

        answers.put(p, answer(400, PROBLEM_JSON, problem(VALIDATION, "subject", "Validation failed")));
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("does not name to");
        answers.put(p, answer(400, PROBLEM_JSON, problem(VALIDATION, "subject", "the to address is too long")));
        assertThat(PoisonVerdicts.judge(p, evidence()))
                .as("the detail may name it")
                .isNull();
        answers.put(
                p, answer(400, PROBLEM_JSON, problem("https://mailtrail.dev/problems/malformed-payload", "to", "x")));
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("problem type");
        answers.put(p, answer(400, "application/json", problem(VALIDATION, "to", "x")));
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("content type");
        answers.put(p, answer(503, PROBLEM_JSON, "{}"));
        assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("answered 503, expected 400");
    }

    @Test
    void aRefusedRequestMustNotHaveBeenStored() {
        Probe p = http(Channel.SEND_HTTP, Expect.REFUSED, "a1", "subject", 400);
        answers.put(p, answer(400, PROBLEM_JSON, problem(VALIDATION, "subject", "x")));
        sendRequests.add("a1");
        assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("refused, yet stored");
    }

    @Test
    void aFieldIsNamedByItselfItsIndexOrItsMember() {
        assertThat(PoisonVerdicts.names("to", "to")).isTrue();
        assertThat(PoisonVerdicts.names("to[3]", "to")).isTrue();
        assertThat(PoisonVerdicts.names("tags.campaign", "tags")).isTrue();
        assertThat(PoisonVerdicts.names("data.email_id", "email_id")).isTrue();
        assertThat(PoisonVerdicts.names("tone", "to")).isFalse();
        assertThat(PoisonVerdicts.names("data.email_id_hash", "email_id")).isFalse();
        assertThat(PoisonVerdicts.names("subject", "to")).isFalse();
    }

    @Test
    void aDeadLetterNeedsItsTopicAReasonNamingTheFieldAndNoClassName() {
        Probe p = kafka(Channel.SEND_KAFKA, Expect.DEAD_LETTERED, "act-1", "subject");
        acknowledged.add(p);
        assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("not in " + Topics.SEND_COMMANDS_DLT);
        deadLetters.put(Topics.SEND_COMMANDS_DLT, new HashMap<>(Map.of("act-1", " ")));
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("without a reason");
        deadLetters.get(Topics.SEND_COMMANDS_DLT).put("act-1", "org.postgresql.util.PSQLException: subject has NUL");
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("class name");
        deadLetters.get(Topics.SEND_COMMANDS_DLT).put("act-1", "invalid SendEmailCommand: from must be an address");
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("does not name subject");
        deadLetters.get(Topics.SEND_COMMANDS_DLT).put("act-1", "invalid SendEmailCommand: subject holds U+0000");
        assertThat(PoisonVerdicts.judge(p, evidence())).isNull();
        sendRequests.add("id-act-1");
        assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("applied, though it is poison");
    }

    @Test
    void aKafkaRecordCountsOnlyOnceKafkaAcknowledgedIt() {
        Probe p = kafka(Channel.EVENT_KAFKA, Expect.APPLIED, "act-2", null);
        store("id-act-2", "act-2", FROM, "{}", null);
        assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("not acknowledged by Kafka");
        acknowledged.add(p);
        assertThat(PoisonVerdicts.judge(p, evidence())).isNull();
    }

    @Test
    void healthyRecordsAreLookedUpWhereTheirEntryStoresThem() {
        Probe send = http(Channel.SEND_HTTP, Expect.APPLIED, "act-3", null, 202);
        Probe webhook = http(Channel.WEBHOOK, Expect.APPLIED, "resend:msg_1", null, 200, 202);
        Probe hit = http(Channel.TRACKING, Expect.APPLIED, "act-4", null, 200);
        for (Probe p : List.of(send, webhook, hit)) {
            answers.put(p, answer(p.statuses().get(0), "application/json", "{}"));
            assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("not applied");
        }
        sendRequests.add("act-3");
        store("resend:msg_1", "act-5", FROM, "{}", null);
        store("track-1", "act-4", FROM, "{}", null);
        assertThat(List.of(send, webhook, hit))
                .allSatisfy(p -> assertThat(PoisonVerdicts.judge(p, evidence())).isNull());
        assertThat(PoisonVerdicts.judge(http(Channel.SEND_HTTP, Expect.APPLIED, "act-9", null, 202), evidence()))
                .isEqualTo("never sent");
    }

    @Test
    void aCleanedRecordIsStoredSafeWithinItsLimitsAtTheTimeReceivedWhenTheProvidersWasImpossible() {
        Probe p = http(Channel.WEBHOOK, Expect.CLEANED, "resend:msg_2", null, 202);
        answers.put(p, answer(202, "application/json", "{}"));
        assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("accepted but not applied");

        store(
                "resend:msg_2",
                "act-6",
                FROM.plusSeconds(5),
                "{\"subject\":\"Your\\ufffdproposal\"}",
                "Your\ufffdproposal");
        assertThat(PoisonVerdicts.judge(p, evidence())).isNull();
        store("resend:msg_2", "act-6", FROM, "{\"client\":{\"userAgent\":\"M\\tx\"}}", "ok");
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("client.userAgent holds U+0009");
        store("resend:msg_2", "act-6", FROM, "{}", "s".repeat(999));
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("state subject is 999 chars, over 998");

        Probe received =
                http(Channel.WEBHOOK, Expect.CLEANED, "resend:msg_3", null, 202).atReceivedTime();
        answers.put(received, answer(202, "application/json", "{}"));
        store("resend:msg_3", "act-7", Instant.parse("0001-01-01T00:00:00Z"), "{}", null);
        assertThat(PoisonVerdicts.judge(received, evidence())).contains("is not the time received");
        store("resend:msg_3", "act-7", FROM.plusSeconds(30), "{}", null);
        assertThat(PoisonVerdicts.judge(received, evidence())).isNull();
    }

    @Test
    void aHeaderTheHttpLayerRefusesIsAnAllowedFateOfACleanedHit() {
        Probe p = http(Channel.TRACKING, Expect.CLEANED, "act-8", null, 200, 400);
        answers.put(p, answer(400, null, ""));
        assertThat(PoisonVerdicts.judge(p, evidence())).isNull();
        answers.put(p, answer(500, null, ""));
        assertThat(PoisonVerdicts.judge(p, evidence())).isEqualTo("answered 500, expected 200 or 400");
        answers.put(p, new Answer(-1, null, null, new byte[0], 1, "PrematureCloseException: closed"));
        assertThat(PoisonVerdicts.judge(p, evidence())).contains("no_answer").contains("PrematureCloseException");
    }
}
