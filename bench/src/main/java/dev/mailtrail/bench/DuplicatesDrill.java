package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.Webhooks.Webhook;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;

/**
 * 10,000 duplicate deliveries of 800 activities' webhooks, shuffled so that a copy may overtake its original: each
 * event applied once, and the query API's counts equal the distinct opens and clicks sent.
 */
record DuplicatesDrill(DrillContext context) implements Drill {

    static final String NAME = "duplicates";

    private static final int COPIES = 10_000;
    private static final int API_SAMPLE = 50;

    @Override
    public Result run() throws Exception {
        long t0 = System.nanoTime();
        List<Webhook> distinct = context.webhooks().activities("d", 800, false);
        Random random = new Random(3);
        List<Webhook> sends = new ArrayList<>(distinct);
        for (int i = 0; i < COPIES; i++) {
            sends.add(distinct.get(random.nextInt(distinct.size())));
        }
        // a copy may overtake its original, and both may be in flight at once, as with Resend's retries
        Collections.shuffle(sends, random);
        Kafka kafka = context.kafka();
        long publishedBefore = kafka.published(Topics.EVENTS);
        Redelivery redelivery = new Redelivery(context);
        Redelivery.Ledger ledger = new Redelivery.Ledger();
        Map<String, Object> details = new LinkedHashMap<>();
        try (HttpLoad load = new HttpLoad(context.target().config().ingestUrl(), 32, "drill-duplicates")) {
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            load.run(sends, w -> redelivery.deliver(load, w, deadline, ledger), 32, ledger::answered);
        }
        details.put("duplicate_deliveries", COPIES);
        details.put("attempts_by_status", ledger.attemptsByStatus());
        Result result = new Settlement(context).settle(NAME, distinct, ledger, details, t0);
        details.put("published_to_kafka", kafka.published(Topics.EVENTS) - publishedBefore);
        List<String> problems = new ArrayList<>(result.problems());
        problems.addAll(checkThroughApi(distinct));
        return new Result(
                result.name(),
                result.ok() && problems.size() == result.problems().size(),
                result.sent(),
                result.acknowledged(),
                result.projected(),
                result.lost(),
                result.doubleApplied(),
                details,
                problems,
                (System.nanoTime() - t0) / 1e9);
    }

    /** The query API's counts for a sample of activities equal the distinct opens and clicks sent. */
    private List<String> checkThroughApi(List<Webhook> distinct) {
        Map<String, Applied.Expected> expected = Applied.expected(Webhooks.triples(distinct));
        List<String> ids = new ArrayList<>(expected.keySet());
        Collections.shuffle(ids, new Random(5));
        List<String> problems = new ArrayList<>();
        try (HttpLoad api = new HttpLoad(context.target().config().sendUrl(), 4, "drill-api")) {
            for (String id : ids.subList(0, Math.min(API_SAMPLE, ids.size()))) {
                Answer a = api.sendAndWait(Request.get(
                        "/api/crm/activities/" + id,
                        Map.of(
                                "Authorization",
                                "Bearer " + context.target().config().apiToken())));
                if (a.status() != 200) {
                    problems.add("GET activity " + id + ": " + a.statusKey());
                    continue;
                }
                JsonNode s = WireJson.mapper().readTree(a.body());
                long opens = s.path("openCount").asLong()
                        + s.path("machineOpenCount").asLong();
                long clicks = s.path("clickCount").asLong()
                        + s.path("machineClickCount").asLong();
                Applied.Expected x = expected.get(id);
                if (opens != x.opens || clicks != x.clicks) {
                    problems.add("GET activity " + id + ": opens " + opens + "/" + x.opens + ", clicks " + clicks + "/"
                            + x.clicks);
                }
            }
        }
        return problems;
    }
}
