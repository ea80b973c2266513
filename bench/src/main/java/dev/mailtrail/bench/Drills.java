package dev.mailtrail.bench;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.Webhooks.Webhook;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

/**
 * ./mailtrail drill: faults injected into a stack of our own, each drill bounded in time, each judged in PostgreSQL
 * (every acknowledged event applied exactly once) and summarised as sent, acknowledged, projected, lost,
 * double_applied.
 */
final class Drills {

    // poison last: on a build whose consumers stall on it, it would stop the drills after it too
    static final List<String> ALL = List.of("bad-input", "duplicates", "postgres-outage", "kafka-restart", "send-service-kill",
            PoisonDrill.NAME);

    /** How long a webhook the ingest did not acknowledge is redelivered after the load ends (Resend: ~27 h). */
    private static final Duration REDELIVERY_WINDOW = Duration.ofSeconds(90);
    private static final Duration SETTLE = Duration.ofMinutes(3);
    /** Over the ingest's 256 KiB limit; such bodies go over {@link RawHttp}, which reads an early 413. */
    private static final int OVERSIZED = 300 * 1024;
    /** The rest of a drill's problems are in drills.json (the poison drill prints a verdict per check besides). */
    private static final int PRINTED_PROBLEMS = 12;

    /** One drill's outcome; sent/acknowledged/projected/lost count distinct events. */
    record Result(String name, boolean ok, long sent, long acknowledged, long projected, long lost, long doubleApplied,
            Map<String, Object> details, List<String> problems, double seconds) {

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", name);
            map.put("ok", ok);
            map.put("sent", sent);
            map.put("acknowledged", acknowledged);
            map.put("projected", projected);
            map.put("lost", lost);
            map.put("double_applied", doubleApplied);
            map.put("seconds", Stats.round(seconds, 1));
            map.put("details", details);
            map.put("problems", problems);
            return map;
        }

        static Result failed(String name, Exception e, long startedNanos) {
            return new Result(name, false, 0, 0, 0, 0, 0, Map.of(), List.of("drill did not complete: " + e),
                    (System.nanoTime() - startedNanos) / 1e9);
        }
    }

    /** What a webhook drill's sender saw: every delivery attempt by status, and which events were acknowledged. */
    static final class Ledger {
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();

        void attempt(Answer a) {
            attempts.computeIfAbsent(a.statusKey(), k -> new LongAdder()).increment();
        }

        void answered(Webhook w, Answer a) {
            if (a.ok()) {
                acknowledged.add(w.eventId());
            }
        }

        Map<String, Long> attemptsByStatus() {
            Map<String, Long> map = new TreeMap<>();
            attempts.forEach((k, v) -> map.put(k, v.sum()));
            return map;
        }
    }

    @FunctionalInterface
    interface Fault {
        void inject(Map<String, Object> details) throws Exception;
    }

    private final Target target;
    private final Kafka kafka;
    private final Webhooks webhooks;
    private final PrintStream out;

    Drills(Target target, Kafka kafka, Webhooks webhooks, PrintStream out) {
        this.target = target;
        this.kafka = kafka;
        this.webhooks = webhooks;
        this.out = out;
    }

    List<Result> run(List<String> only) {
        List<Result> results = new ArrayList<>();
        for (String name : ALL) {
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            out.println("drill " + name + " ...");
            long t0 = System.nanoTime();
            Result result;
            try {
                result = switch (name) {
                    case "bad-input" -> badInput();
                    case "duplicates" -> duplicates();
                    case "postgres-outage" -> postgresOutage();
                    case "kafka-restart" -> kafkaRestart();
                    case "send-service-kill" -> sendServiceKill();
                    case PoisonDrill.NAME -> new PoisonDrill(target, kafka, webhooks, out).run();
                    default -> throw new IllegalArgumentException(name);
                };
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                result = Result.failed(name, e, t0);
            }
            out.printf(Locale.ROOT, "  %-18s %s  sent %d, acknowledged %d, projected %d, lost %d, double_applied %d (%.0f s)%n",
                    name, result.ok() ? "ok  " : "FAIL", result.sent(), result.acknowledged(), result.projected(),
                    result.lost(), result.doubleApplied(), result.seconds());
            result.problems().stream().limit(PRINTED_PROBLEMS).forEach(p -> out.println("      " + p));
            if (result.problems().size() > PRINTED_PROBLEMS) {
                out.println("      ... and " + (result.problems().size() - PRINTED_PROBLEMS) + " more in bench/results/drills.json");
            }
            results.add(result);
        }
        return results;
    }

    // ---------------------------------------------------------------- bad input

    /** One kind of bad (or odd) request and what docs/http-api.md says it gets. */
    record Volley(String kind, int status, ProblemCode problem, Function<Integer, Request> request) {
    }

    Result badInput() throws Exception {
        long t0 = System.nanoTime();
        String scope = "v";
        Webhooks otherSecret = new Webhooks("whsec_" + Base64.getEncoder().encodeToString(
                "not-the-mailtrail-secret-at-all".getBytes(StandardCharsets.UTF_8)), "x");
        String padding = "x".repeat(OVERSIZED);
        List<Volley> kinds = List.of(
                new Volley("tampered body", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one(scope);
                    return post(webhooks.headers(w, now()), w.body().replace("Your proposal", "Your pr0posal"));
                }),
                new Volley("another secret", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one(scope);
                    return post(otherSecret.headers(w, now()), w.body());
                }),
                new Volley("no signature headers", 401, ProblemCode.INVALID_SIGNATURE, i ->
                        post(Map.of("Content-Type", "application/json"), one(scope).body())),
                new Volley("stale timestamp", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one(scope);
                    return post(webhooks.headers(w, now() - 600), w.body());
                }),
                new Volley("future timestamp", 401, ProblemCode.INVALID_SIGNATURE, i -> {
                    Webhook w = one(scope);
                    return post(webhooks.headers(w, now() + 600), w.body());
                }),
                new Volley("oversized, declared", 413, ProblemCode.PAYLOAD_TOO_LARGE, i -> oversized(scope, padding, false)),
                new Volley("oversized, chunked", 413, ProblemCode.PAYLOAD_TOO_LARGE, i -> oversized(scope, padding, true)),
                new Volley("text/plain", 415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, i -> {
                    Webhook w = one(scope);
                    Map<String, String> headers = new HashMap<>(webhooks.headers(w, now()));
                    headers.put("Content-Type", "text/plain");
                    return post(headers, w.body());
                }),
                new Volley("no content type", 415, ProblemCode.UNSUPPORTED_MEDIA_TYPE, i -> {
                    Webhook w = one(scope);
                    Map<String, String> headers = new HashMap<>(webhooks.headers(w, now()));
                    headers.remove("Content-Type");
                    return post(headers, w.body());
                }),
                new Volley("malformed JSON, signed", 400, ProblemCode.MALFORMED_PAYLOAD, i ->
                        signed("{\"type\":\"email.delivered\",\"data\":{\"email_id\":")),
                new Volley("not an event, signed", 400, ProblemCode.MALFORMED_PAYLOAD, i -> signed("{\"hello\":\"world\"}")),
                new Volley("no email_id, signed", 400, ProblemCode.MALFORMED_PAYLOAD, i -> signed(
                        "{\"type\":\"email.delivered\",\"created_at\":\"2026-11-26T10:15:31.456Z\",\"data\":{\"to\":[\"a@b.test\"]}}")),
                new Volley("unknown type domain.updated", 202, null, i -> signed(
                        "{\"type\":\"domain.updated\",\"created_at\":\"2026-11-26T10:15:31.456Z\",\"data\":{\"id\":\"d-" + i + "\"}}")),
                new Volley("unknown type email.*", 202, null, i -> signed(
                        "{\"type\":\"email.opened_by_robot\",\"created_at\":\"2026-11-26T10:15:31.456Z\",\"data\":{\"email_id\":\"em-" + i + "\"}}")));
        int perKind = 20;
        List<Map.Entry<Volley, Request>> requests = new ArrayList<>();
        for (Volley kind : kinds) {
            for (int i = 0; i < perKind; i++) {
                requests.add(Map.entry(kind, kind.request().apply(i)));
            }
        }
        Collections.shuffle(requests, new Random(1));
        long eventsBefore = kafka.published(Topics.EVENTS);
        long rawBefore = kafka.published(Topics.WEBHOOKS_UNRECOGNIZED);
        Map<String, Map<String, Long>> answers = new ConcurrentHashMap<>();
        List<String> problems = Collections.synchronizedList(new ArrayList<>());
        AtomicLong accepted = new AtomicLong();
        AtomicLong serverErrors = new AtomicLong();
        try (HttpLoad load = new HttpLoad(target.config().ingestUrl(), 16, "drill-bad-input")) {
            URI ingest = URI.create(target.config().ingestUrl());
            load.run(requests, e -> e.getValue().body().length > OVERSIZED
                    ? Mono.fromCallable(() -> RawHttp.send(ingest.getHost(), ingest.getPort(), e.getValue()))
                            .subscribeOn(Schedulers.boundedElastic())
                    : load.send(e.getValue()), 16, (e, a) -> {
                Volley kind = e.getKey();
                answers.computeIfAbsent(kind.kind(), k -> new ConcurrentHashMap<>()).merge(a.statusKey(), 1L, Long::sum);
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
        long expectedRaw = 2L * perKind;
        if (eventsPublished != 0) {
            problems.add(eventsPublished + " events published to " + Topics.EVENTS + " for rejected webhooks");
        }
        if (rawPublished != expectedRaw) {
            problems.add(rawPublished + " unrecognized webhooks kept raw, expected " + expectedRaw);
        }
        long projected;
        try (Connection c = target.jdbc()) {
            projected = ProjectionBench.count(c, "SELECT count(*) FROM activity_event WHERE split_part(activity_key, ':', 2) LIKE ?",
                    webhooks.activityPrefix(scope) + "%");
        }
        if (projected != 0) {
            problems.add(projected + " events of rejected webhooks reached activity_event");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("requests_per_kind", perKind);
        details.put("answers", new TreeMap<>(answers));
        details.put("server_errors", serverErrors.get());
        details.put("published_for_rejects", eventsPublished);
        details.put("unrecognized_kept_raw", rawPublished);
        return new Result("bad-input", problems.isEmpty(), requests.size(), accepted.get(), projected,
                Math.max(0, expectedRaw - rawPublished), 0, details, List.copyOf(problems), (System.nanoTime() - t0) / 1e9);
    }

    /** Null when the answer is the documented one, else what is wrong with it. */
    static String judge(Volley kind, Answer a) {
        if (a.status() != kind.status()) {
            return "answered " + a.statusKey() + (a.error() != null ? " (" + a.error() + ")" : "") + ", expected " + kind.status();
        }
        if (kind.problem() == null) {
            return null;
        }
        if (a.contentType() == null || !a.contentType().startsWith("application/problem+json")) {
            return "content type " + a.contentType() + ", expected application/problem+json";
        }
        JsonNode body = WireJson.mapper().readTree(a.body());
        String type = body.path("type").asString("");
        return type.equals(kind.problem().type().toString()) ? null : "problem type " + type + ", expected " + kind.problem().type();
    }

    private Webhook one(String scope) {
        return webhooks.activities(scope, 1, false).get(0);
    }

    private Request oversized(String scope, String padding, boolean chunked) {
        Webhook w = one(scope);
        String body = w.body().substring(0, w.body().length() - 1) + ",\"padding\":\"" + padding + "\"}";
        return new Request(HttpMethod.POST, IngestBench.INGEST, webhooks.signedHeaders(w.svixId(), body, now()),
                body.getBytes(StandardCharsets.UTF_8), chunked);
    }

    private Request signed(String body) {
        return post(webhooks.signedHeaders(webhooks.nextSvixId(), body, now()), body);
    }

    private static Request post(Map<String, String> headers, String body) {
        return Request.post(IngestBench.INGEST, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static long now() {
        return Instant.now().getEpochSecond();
    }

    // ---------------------------------------------------------------- duplicates

    Result duplicates() throws Exception {
        long t0 = System.nanoTime();
        int copies = 10_000;
        List<Webhook> distinct = webhooks.activities("d", 800, false);
        Random random = new Random(3);
        List<Webhook> sends = new ArrayList<>(distinct);
        for (int i = 0; i < copies; i++) {
            sends.add(distinct.get(random.nextInt(distinct.size())));
        }
        // a copy may overtake its original, and both may be in flight at once, as with Resend's retries
        Collections.shuffle(sends, random);
        long publishedBefore = kafka.published(Topics.EVENTS);
        Ledger ledger = new Ledger();
        Map<String, Object> details = new LinkedHashMap<>();
        try (HttpLoad load = new HttpLoad(target.config().ingestUrl(), 32, "drill-duplicates")) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            load.run(sends, w -> deliver(load, w, deadline, ledger), 32, ledger::answered);
        }
        details.put("duplicate_deliveries", copies);
        details.put("attempts_by_status", ledger.attemptsByStatus());
        Result result = settle("duplicates", distinct, ledger, details, new ArrayList<>(), t0);
        details.put("published_to_kafka", kafka.published(Topics.EVENTS) - publishedBefore);
        List<String> problems = new ArrayList<>(result.problems());
        problems.addAll(checkThroughApi(distinct, 50));
        return new Result(result.name(), result.ok() && problems.size() == result.problems().size(), result.sent(),
                result.acknowledged(), result.projected(), result.lost(), result.doubleApplied(), details, problems,
                (System.nanoTime() - t0) / 1e9);
    }

    /** The query API's counts for a sample of activities equal the distinct opens and clicks sent. */
    private List<String> checkThroughApi(List<Webhook> distinct, int sample) {
        Map<String, Applied.Expected> expected = Applied.expected(triples(distinct));
        List<String> ids = new ArrayList<>(expected.keySet());
        Collections.shuffle(ids, new Random(5));
        List<String> problems = new ArrayList<>();
        try (HttpLoad api = new HttpLoad(target.config().sendUrl(), 4, "drill-api")) {
            for (String id : ids.subList(0, Math.min(sample, ids.size()))) {
                Answer a = api.sendAndWait(Request.get("/api/crm/activities/" + id,
                        Map.of("Authorization", "Bearer " + target.config().apiToken())));
                if (a.status() != 200) {
                    problems.add("GET activity " + id + ": " + a.statusKey());
                    continue;
                }
                JsonNode s = WireJson.mapper().readTree(a.body());
                long opens = s.path("openCount").asLong() + s.path("machineOpenCount").asLong();
                long clicks = s.path("clickCount").asLong() + s.path("machineClickCount").asLong();
                Applied.Expected x = expected.get(id);
                if (opens != x.opens || clicks != x.clicks) {
                    problems.add("GET activity " + id + ": opens " + opens + "/" + x.opens + ", clicks " + clicks + "/" + x.clicks);
                }
            }
        }
        return problems;
    }

    // ---------------------------------------------------------------- outages

    Result postgresOutage() throws Exception {
        List<Webhook> distinct = webhooks.atLeast("pg", 4_500, false);
        return underLoad("postgres-outage", distinct, 100, details -> {
            Thread.sleep(5_000);
            long lagBefore = kafka.projectionLag();
            target.stack().stopComponent("postgres", false);
            long down = System.nanoTime();
            out.println("  postgres stopped; 20 s ...");
            long maxLag = lagBefore;
            while (System.nanoTime() - down < Duration.ofSeconds(20).toNanos()) {
                Thread.sleep(1_000);
                maxLag = Math.max(maxLag, kafka.projectionLag());
            }
            target.stack().startComponent("postgres");
            details.put("postgres_down_s", Stats.round((System.nanoTime() - down) / 1e9, 1));
            details.put("lag_before_outage", lagBefore);
            details.put("max_lag_during_outage", maxLag);
            long up = System.nanoTime();
            details.put("send_service_up_again", target.awaitHealthy(Target.PROJECTION_SERVICE, Duration.ofSeconds(90)));
            details.put("send_service_healthy_after_s", Stats.round((System.nanoTime() - up) / 1e9, 1));
        });
    }

    Result kafkaRestart() throws Exception {
        List<Webhook> distinct = webhooks.atLeast("k", 5_000, false);
        return underLoad("kafka-restart", distinct, 150, details -> {
            Thread.sleep(8_000);
            target.stack().stopComponent("kafka", true);
            long down = System.nanoTime();
            out.println("  kafka killed (SIGKILL); restarting in 5 s ...");
            Thread.sleep(5_000);
            target.stack().startComponent("kafka");
            details.put("kafka_unavailable_s", Stats.round((System.nanoTime() - down) / 1e9, 1));
        });
    }

    /** Webhooks paced at {@code rate} (each redelivered until acknowledged, as Resend does) while the fault runs. */
    private Result underLoad(String name, List<Webhook> distinct, double rate, Fault fault) throws Exception {
        long t0 = System.nanoTime();
        Ledger ledger = new Ledger();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("offered_per_s", rate);
        try (HttpLoad load = new HttpLoad(target.config().ingestUrl(), 256, "drill-" + name)) {
            long deadline = t0 + (long) (distinct.size() / rate * 1e9) + REDELIVERY_WINDOW.toNanos();
            CompletableFuture<HttpLoad.Run> loading = CompletableFuture.supplyAsync(() -> {
                try {
                    return load.paced(distinct, w -> deliver(load, w, deadline, ledger), rate, 256, ledger::answered);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(e);
                }
            });
            fault.inject(details);
            loading.get(distinct.size() / (long) rate + REDELIVERY_WINDOW.toSeconds() + 60, TimeUnit.SECONDS);
        }
        details.put("attempts_by_status", ledger.attemptsByStatus());
        return settle(name, distinct, ledger, details, new ArrayList<>(), t0);
    }

    /**
     * POSTs the webhook until the ingest acknowledges it, re-signed on every attempt like Svix; a 503 (or no
     * answer) is retried after its Retry-After (at most 5 s), until the deadline.
     */
    private Mono<Answer> deliver(HttpLoad load, Webhook w, long deadline, Ledger ledger) {
        return Mono.defer(() -> load.send(webhooks.request(IngestBench.INGEST, w))).flatMap(a -> {
            ledger.attempt(a);
            boolean retry = !a.ok() && (a.status() < 0 || a.status() == 429 || a.status() >= 500)
                    && System.nanoTime() < deadline;
            return retry ? Mono.delay(retryAfter(a)).then(deliver(load, w, deadline, ledger)) : Mono.just(a);
        });
    }

    static Duration retryAfter(Answer a) {
        try {
            return Duration.ofSeconds(Math.max(1, Math.min(5, Long.parseLong(a.retryAfter().trim()))));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(1);
        }
    }

    /** Waits until the projection has no lag, then checks every distinct webhook in PostgreSQL. */
    private Result settle(String name, List<Webhook> distinct, Ledger ledger, Map<String, Object> details,
            List<String> problems, long t0) throws Exception {
        long settled = System.nanoTime();
        if (kafka.awaitNoLag(SETTLE, Duration.ofMillis(250), null) < 0) {
            problems.add("projection lag not zero " + SETTLE.toMinutes() + " min after the load (lag " + kafka.projectionLag() + ")");
        }
        details.put("settle_s", Stats.round((System.nanoTime() - settled) / 1e9, 1));
        Set<String> ids = distinct.stream().map(Webhook::eventId).collect(Collectors.toSet());
        Applied.Check check;
        try (Connection c = target.jdbc()) {
            check = Applied.check(c, ids, ledger.acknowledged, Applied.expected(triples(distinct)));
        }
        long neverAcknowledged = ids.size() - ledger.acknowledged.size();
        if (neverAcknowledged > 0) {
            problems.add(neverAcknowledged + " webhooks never acknowledged, even redelivered for " + REDELIVERY_WINDOW.toSeconds() + " s");
        }
        if (check.countsBelow() > 0) {
            problems.add(check.countsBelow() + " opens/clicks missing from the counts");
        }
        problems.addAll(check.problems());
        details.put("never_acknowledged", neverAcknowledged);
        boolean ok = check.lost() == 0 && check.doubleApplied() == 0 && check.countsBelow() == 0 && neverAcknowledged == 0
                && problems.isEmpty();
        return new Result(name, ok, ids.size(), ledger.acknowledged.size(), check.projected(), check.lost(),
                check.doubleApplied(), details, problems, (System.nanoTime() - t0) / 1e9);
    }

    static List<String[]> triples(List<Webhook> webhooks) {
        return webhooks.stream().filter(Webhook::recognized)
                .map(w -> new String[] {w.activityId(), w.type(), w.eventId()}).distinct().toList();
    }

    // ---------------------------------------------------------------- send-service SIGKILL

    /**
     * The same events under two sets of activity ids: the first projected cleanly, the second with the
     * send-service SIGKILLed a quarter of the way through and restarted. Their states must be equal.
     */
    Result sendServiceKill() throws Exception {
        long t0 = System.nanoTime();
        int activities = 6_000;
        String runTag = webhooks.activityPrefix("kill");
        String clean = runTag + "b-";
        String killed = runTag + "a-";
        Instant base = Instant.now().minusSeconds(10_800);
        List<EmailEvent> cleanDistinct = Events.distinct(clean, activities, base);
        List<EmailEvent> killedDistinct = Events.distinct(killed, activities, base);
        List<EmailEvent> cleanRecords = Events.withDuplicatesShuffled(cleanDistinct, 0.1, 7);
        List<EmailEvent> killedRecords = Events.withDuplicatesShuffled(killedDistinct, 0.1, 7);
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();

        kafka.produce(cleanRecords);
        if (kafka.awaitNoLag(SETTLE, Duration.ofMillis(100), null) < 0) {
            problems.add("the clean run did not finish within " + SETTLE.toMinutes() + " min");
        }
        Kafka.Offsets start = kafka.projectionOffsets();
        CompletableFuture<Long> producing = CompletableFuture.supplyAsync(() -> {
            try {
                return kafka.produce(killedRecords);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CompletionException(e);
            }
        });
        long quarter = killedRecords.size() / 4;
        long applied = 0;
        long waitUntil = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < waitUntil) {
            Kafka.Offsets now = kafka.projectionOffsets();
            applied = now == null ? applied : now.committed() - start.committed();
            if (applied >= quarter) {
                break;
            }
            Thread.sleep(20);
        }
        target.stack().stopComponent(Target.PROJECTION_SERVICE, true);
        out.printf(Locale.ROOT, "  send-service killed (SIGKILL) after %,d of %,d records were committed; restarting ...%n",
                applied, killedRecords.size());
        details.put("records", killedRecords.size());
        details.put("committed_when_killed", applied);
        long acknowledged = producing.get(2, TimeUnit.MINUTES);
        long restart = System.nanoTime();
        target.stack().startComponent(Target.PROJECTION_SERVICE);
        details.put("restart_s", Stats.round((System.nanoTime() - restart) / 1e9, 1));
        long settled = System.nanoTime();
        if (kafka.awaitNoLag(SETTLE, Duration.ofMillis(250), null) < 0) {
            problems.add("projection lag not zero " + SETTLE.toMinutes() + " min after the restart");
        }
        details.put("settle_after_restart_s", Stats.round((System.nanoTime() - settled) / 1e9, 1));

        Set<String> ids = killedDistinct.stream().map(EmailEvent::eventId).collect(Collectors.toSet());
        List<String[]> triples = Events.triples(killedDistinct);
        Applied.Check check;
        long mismatches = 0;
        try (Connection c = target.jdbc()) {
            check = Applied.check(c, ids, ids, Applied.expected(triples));
            Map<String, String> cleanStates = states(c, clean);
            Map<String, String> killedStates = states(c, killed);
            Map<String, String> cleanTimelines = timelines(c, clean);
            Map<String, String> killedTimelines = timelines(c, killed);
            for (int i = 0; i < activities; i++) {
                String key = Integer.toString(i);
                boolean same = Objects.equals(cleanStates.get(key), killedStates.get(key))
                        && Objects.equals(cleanTimelines.get(key), killedTimelines.get(key));
                if (!same) {
                    mismatches++;
                    if (mismatches <= 3) {
                        problems.add("activity " + key + " differs from the clean run: " + killedStates.get(key)
                                + " vs " + cleanStates.get(key));
                    }
                }
            }
            if (cleanStates.size() != activities) {
                problems.add("the clean run has " + cleanStates.size() + " of " + activities + " activities");
            }
        }
        problems.addAll(check.problems());
        details.put("state_mismatches", mismatches);
        boolean ok = problems.isEmpty() && mismatches == 0 && check.lost() == 0 && check.doubleApplied() == 0;
        if (acknowledged < killedRecords.size()) {
            problems.add((killedRecords.size() - acknowledged) + " records not acknowledged by Kafka");
        }
        // a lower bound: each record Kafka did not acknowledge may have been a distinct event
        long acknowledgedDistinct = Math.max(0, ids.size() - (killedRecords.size() - acknowledged));
        return new Result("send-service-kill", ok && problems.isEmpty(), ids.size(), acknowledgedDistinct,
                check.projected(), check.lost(), check.doubleApplied(), details, problems, (System.nanoTime() - t0) / 1e9);
    }

    /** Each activity's state without what differs between twins by construction (ids, version, update time). */
    private static Map<String, String> states(Connection c, String prefix) throws SQLException {
        return byActivity(c, "SELECT activity_id, (to_jsonb(s) - 'activity_id' - 'version' - 'updated_at' - 'message_id')::text "
                + "FROM activity_state s WHERE activity_id LIKE ?", prefix);
    }

    private static Map<String, String> timelines(Connection c, String prefix) throws SQLException {
        return byActivity(c, "SELECT split_part(activity_key, ':', 2), string_agg(type || '@' || occurred_at, ','"
                + " ORDER BY occurred_at, type) FROM activity_event WHERE split_part(activity_key, ':', 2) LIKE ? GROUP BY 1",
                prefix);
    }

    private static Map<String, String> byActivity(Connection c, String sql, String prefix) throws SQLException {
        Map<String, String> map = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    map.put(rs.getString(1).substring(prefix.length()), rs.getString(2));
                }
            }
        }
        return map;
    }
}
