package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.Webhooks.Webhook;
import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import io.netty.handler.codec.http.HttpMethod;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * A volley of bad (and odd) webhooks, shuffled: each must get the answer docs/http-api.md gives it, none may reach
 * Kafka's events or PostgreSQL, and the unknown types are kept raw.
 */
record BadInputDrill(DrillContext context) implements Drill {

    static final String NAME = "bad-input";

    /** Over the ingest's 256 KiB limit; such bodies go over {@link RawHttp}, which reads an early 413. */
    private static final int OVERSIZED = 300 * 1024;

    private static final int PER_KIND = 20;
    private static final String SCOPE = "v";

    /** One kind of bad (or odd) request and what docs/http-api.md says it gets. */
    record Volley(String kind, int status, ProblemCode problem, Function<Integer, Request> request) {}

    private Webhooks webhooks() {
        return context.webhooks();
    }

    @Override
    public Result run() throws Exception {
        long t0 = System.nanoTime();
        List<Map.Entry<Volley, Request>> requests = new ArrayList<>();
        for (Volley kind : volleys()) {
            for (int i = 0; i < PER_KIND; i++) {
                requests.add(Map.entry(kind, kind.request().apply(i)));
            }
        }
        Collections.shuffle(requests, new Random(1));
        Kafka kafka = context.kafka();
        long eventsBefore = kafka.published(Topics.EVENTS);
        long rawBefore = kafka.published(Topics.WEBHOOKS_UNRECOGNIZED);
        Map<String, Map<String, Long>> answers = new ConcurrentHashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicLong accepted = new AtomicLong();
        AtomicLong serverErrors = new AtomicLong();
        String ingestUrl = context.target().config().ingestUrl();
        try (HttpLoad load = new HttpLoad(ingestUrl, 16, "drill-bad-input")) {
            URI ingest = URI.create(ingestUrl);
            load.run(
                    requests,
                    e -> e.getValue().body().length > OVERSIZED
                            ? Mono.fromCallable(() -> RawHttp.send(ingest.getHost(), ingest.getPort(), e.getValue()))
                                    .subscribeOn(Schedulers.boundedElastic())
                            : load.send(e.getValue()),
                    16,
                    (e, a) -> {
                        Volley kind = e.getKey();
                        answers.computeIfAbsent(kind.kind(), k -> new ConcurrentHashMap<>())
                                .merge(a.statusKey(), 1L, Long::sum);
                        if (a.ok()) {
                            accepted.incrementAndGet();
                        }
                        if (a.status() >= 500) {
                            serverErrors.incrementAndGet();
                        }
                        String wrong = judge(kind, a);
                        if (wrong != null && problems.size() < 20) {
                            problems.add(kind.kind() + ": " + wrong);
                        }
                    });
        }
        long eventsPublished = kafka.published(Topics.EVENTS) - eventsBefore;
        long rawPublished = kafka.published(Topics.WEBHOOKS_UNRECOGNIZED) - rawBefore;
        long expectedRaw = 2L * PER_KIND;
        if (eventsPublished != 0) {
            problems.add(eventsPublished + " events published to " + Topics.EVENTS + " for rejected webhooks");
        }
        if (rawPublished != expectedRaw) {
            problems.add(rawPublished + " unrecognized webhooks kept raw, expected " + expectedRaw);
        }
        long projected;
        try (Connection c = context.target().jdbc()) {
            projected = ProjectionBench.count(
                    c,
                    "SELECT count(*) FROM activity_event WHERE split_part(activity_key, ':', 2) LIKE ?",
                    webhooks().activityPrefix(SCOPE) + "%");
        }
        if (projected != 0) {
            problems.add(projected + " events of rejected webhooks reached activity_event");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requests_per_kind", PER_KIND);
        details.put("answers", new TreeMap<>(answers));
        details.put("server_errors", serverErrors.get());
        details.put("published_for_rejects", eventsPublished);
        details.put("unrecognized_kept_raw", rawPublished);
        return new Result(
                NAME,
                problems.isEmpty(),
                requests.size(),
                accepted.get(),
                projected,
                Math.max(0, expectedRaw - rawPublished),
                0,
                details,
                List.copyOf(problems),
                (System.nanoTime() - t0) / 1e9);
    }

    private List<Volley> volleys() {
        Webhooks otherSecret = new Webhooks(
                "whsec_"
                        + Base64.getEncoder()
                                .encodeToString("not-the-mailtrail-secret-at-all".getBytes(StandardCharsets.UTF_8)),
                "x");
        String padding = "x".repeat(OVERSIZED);
        return List.of(
                new Volley("tampered body", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one();
                    return post(webhooks().headers(w, now()), w.body().replace("Your proposal", "Your pr0posal"));
                }),
                new Volley("another secret", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one();
                    return post(otherSecret.headers(w, now()), w.body());
                }),
                new Volley(
                        "no signature headers",
                        401,
                        ProblemCode.INVALID_SIGNATURE,
                        i -> post(Map.of("Content-Type", "application/json"), one().body())),
                new Volley("stale timestamp", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one();
                    return post(webhooks().headers(w, now() - 600), w.body());
                }),
                new Volley("future timestamp", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one();
                    return post(webhooks().headers(w, now() + 600), w.body());
                }),
                new Volley("oversized, declared", 413, ProblemCode.PAYLOAD_TOO_LARGE, i -> oversized(padding, false)),
                new Volley("oversized, chunked", 413, ProblemCode.PAYLOAD_TOO_LARGE, i -> oversized(padding, true)),
                new Volley("text/plain", 415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, i -> {
                    Webhook w = one();
                    Map<String, String> headers = new HashMap<>(webhooks().headers(w, now()));
                    headers.put("Content-Type", "text/plain");
                    return post(headers, w.body());
                }),
                new Volley("no content type", 415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, i -> {
                    Webhook w = one();
                    Map<String, String> headers = new HashMap<>(webhooks().headers(w, now()));
                    headers.remove("Content-Type");
                    return post(headers, w.body());
                }),
                new Volley(
                        "malformed JSON, signed",
                        400,
                        ProblemCode.MALFORMED_PAYLOAD,
                        i -> signed("{\"type\":\"email.delivered\",\"data\":{\"email_id\":")),
                new Volley(
                        "not an event, signed",
                        400,
                        ProblemCode.MALFORMED_PAYLOAD,
                        i -> signed("{\"hello\":\"world\"}")),
                new Volley(
                        "no email_id, signed",
                        400,
                        ProblemCode.MALFORMED_PAYLOAD,
                        i -> signed(
                                "{\"type\":\"email.delivered\",\"created_at\":\"2026-11-26T10:15:31.456Z\",\"data\":{\"to\":[\"a@b.test\"]}}")),
                new Volley(
                        "unknown type domain.updated",
                        202,
                        null,
                        i -> signed(
                                "{\"type\":\"domain.updated\",\"created_at\":\"2026-11-26T10:15:31.456Z\",\"data\":{\"id\":\"d-"
                                        + i + "\"}}")),
                new Volley(
                        "unknown type email.*",
                        202,
                        null,
                        i -> signed(
                                "{\"type\":\"email.opened_by_robot\",\"created_at\":\"2026-11-26T10:15:31.456Z\",\"data\":{\"email_id\":\"em-"
                                        + i + "\"}}")));
    }

    /** Null when the answer is the documented one, else what is wrong with it. */
    static String judge(Volley kind, Answer a) {
        if (a.status() != kind.status()) {
            return "answered " + a.statusKey() + (a.error() != null ? " (" + a.error() + ")" : "") + ", expected "
                    + kind.status();
        }
        if (kind.problem() == null) {
            return null;
        }
        if (a.contentType() == null || !a.contentType().startsWith("application/problem+json")) {
            return "content type " + a.contentType() + ", expected application/problem+json";
        }
        JsonNode body = WireJson.mapper().readTree(a.body());
        String type = body.path("type").asString("");
        return type.equals(kind.problem().type().toString())
                ? null
                : "problem type " + type + ", expected " + kind.problem().type();
    }

    private Webhook one() {
        return webhooks().activities(SCOPE, 1, false).get(0);
    }

    private Request oversized(String padding, boolean chunked) {
        Webhook w = one();
        String body = w.body().substring(0, w.body().length() - 1) + ",\"padding\":\"" + padding + "\"}";
        return new Request(
                HttpMethod.POST,
                IngestBench.INGEST,
                webhooks().signedHeaders(w.svixId(), body, now()),
                body.getBytes(StandardCharsets.UTF_8),
                chunked);
    }

    private Request signed(String body) {
        return post(webhooks().signedHeaders(webhooks().nextSvixId(), body, now()), body);
    }

    private static Request post(Map<String, String> headers, String body) {
        return Request.post(IngestBench.INGEST, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }
}
