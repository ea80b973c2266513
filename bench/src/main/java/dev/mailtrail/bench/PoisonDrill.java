package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.PoisonVerdicts.Evidence;
import dev.mailtrail.bench.Webhooks.Webhook;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import java.io.PrintStream;
import java.net.URI;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The poison drill: NUL, oversized and out-of-range values through every entry (send requests over HTTP and Kafka,
 * signed webhooks, EmailEvents written straight to the topic, tracking hits), shuffled among healthy records of the
 * same kinds. Passes when every healthy record is applied, every poison record is refused with a 4xx, dead-lettered
 * with its reason or (a provider's or client's text) applied made safe, and both consumer groups are back to no lag.
 */
final class PoisonDrill implements Drill {

    static final String NAME = "poison";

    /** A few hundred records: once nothing stalls, everything is settled within seconds. */
    private static final Duration SETTLE = Duration.ofMinutes(2);
    /** Lags at zero this long and still a probe unmet: waiting longer would not change it. */
    private static final Duration STEADY = Duration.ofSeconds(10);

    private static final int CHUNK = 25;

    private final Target target;
    private final Kafka kafka;
    private final Webhooks webhooks;
    private final PrintStream out;

    PoisonDrill(DrillContext context) {
        this.target = context.target();
        this.kafka = context.kafka();
        this.webhooks = context.webhooks();
        this.out = context.out();
    }

    @Override
    public Result run() throws Exception {
        long t0 = System.nanoTime();
        Instant sentFrom = Instant.now();
        List<Webhook> healthyWebhooks = webhooks.activities("pwh", 12, false);
        List<EmailEvent> healthyEvents =
                Events.distinct(webhooks.activityPrefix("peh"), 12, sentFrom.minusSeconds(3600));
        List<Probe> probes =
                new ArrayList<>(new PoisonSends(webhooks, target.config().apiToken()).probes(20));
        probes.addAll(new PoisonWebhooks(webhooks).probes(healthyWebhooks));
        probes.addAll(PoisonEvents.probes(healthyEvents, webhooks));
        probes.addAll(new PoisonHits(webhooks, target.config().serviceEnv().get("MAILTRAIL_TRACKING_KEYS")).probes(8));
        // poison ahead of healthy records in the same partitions: a poison record that stalls one shows as loss
        Collections.shuffle(probes, new Random(18));
        List<Probe> healthy = probes.stream().filter(Probe::healthy).toList();
        out.printf(Locale.ROOT, "  %d records, %d of them healthy, shuffled ...%n", probes.size(), healthy.size());

        Map<Probe, Answer> answers = new ConcurrentHashMap<>();
        Set<Probe> acknowledged = new HashSet<>();
        send(probes, answers, acknowledged);

        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        long settling = System.nanoTime();
        Evidence evidence = settle(probes, answers, acknowledged, sentFrom, details, problems);
        details.put("settle_s", Stats.round((System.nanoTime() - settling) / 1e9, 1));

        problems.addAll(PoisonReport.checks(probes, evidence, details, out));
        Set<String> healthyEventIds = Stream.concat(
                        healthyWebhooks.stream().map(Webhook::eventId),
                        healthyEvents.stream().map(EmailEvent::eventId))
                .collect(Collectors.toSet());
        Applied.Check check;
        try (Connection c = target.jdbc()) {
            List<String[]> triples = new ArrayList<>(Webhooks.triples(healthyWebhooks));
            triples.addAll(Events.triples(healthyEvents));
            check = Applied.check(c, healthyEventIds, healthyEventIds, Applied.expected(triples));
        }
        // events not applied are named above already; counts off while every event is there are news
        if (check.doubleApplied() > 0 || (check.lost() == 0 && check.countsBelow() > 0)) {
            problems.addAll(check.problems());
        }
        long healthyAcknowledged = healthy.stream()
                .filter(p -> p.channel().http()
                        ? answers.containsKey(p)
                                && answers.get(p).status() >= 200
                                && answers.get(p).status() < 400
                        : acknowledged.contains(p))
                .count();
        long applied =
                healthy.stream().filter(p -> PoisonVerdicts.stored(p, evidence)).count();
        details.put("dlt_meter", dltMeter());
        return new Result(
                NAME,
                problems.isEmpty(),
                healthy.size(),
                healthyAcknowledged,
                applied,
                healthy.size() - applied,
                check.doubleApplied(),
                details,
                List.copyOf(problems),
                (System.nanoTime() - t0) / 1e9);
    }

    /** In chunks, each chunk's Kafka records then its HTTP requests, so the entries interleave in time too. */
    private void send(List<Probe> probes, Map<Probe, Answer> answers, Set<Probe> acknowledged) {
        URI ingestUri = URI.create(target.config().ingestUrl());
        try (HttpLoad send = new HttpLoad(target.config().sendUrl(), 8, "drill-poison-send");
                HttpLoad ingest = new HttpLoad(target.config().ingestUrl(), 8, "drill-poison-ingest")) {
            for (int from = 0; from < probes.size(); from += CHUNK) {
                List<Probe> chunk = probes.subList(from, Math.min(probes.size(), from + CHUNK));
                List<Probe> records =
                        chunk.stream().filter(p -> !p.channel().http()).toList();
                BitSet acked = kafka.send(records.stream().map(Probe::record).toList());
                acked.stream().forEach(i -> acknowledged.add(records.get(i)));
                List<Probe> requests =
                        chunk.stream().filter(p -> p.channel().http()).toList();
                ingest.run(
                        requests,
                        p -> switch (p.channel()) {
                            case SEND_HTTP -> send.send(p.request());
                            // raw, so header values go byte for byte, control characters included
                            case TRACKING ->
                                Mono.fromCallable(() ->
                                                RawHttp.send(ingestUri.getHost(), ingestUri.getPort(), p.request()))
                                        .subscribeOn(Schedulers.boundedElastic());
                            default -> ingest.send(p.request());
                        },
                        8,
                        answers::put);
            }
        }
    }

    /**
     * Waits (at most {@link #SETTLE}) until both consumer groups have no lag and every probe met its fate, or the
     * lags stayed at zero for {@link #STEADY} with some still unmet; answers what was seen last.
     */
    private Evidence settle(
            List<Probe> probes,
            Map<Probe, Answer> answers,
            Set<Probe> acknowledged,
            Instant sentFrom,
            Map<String, Object> details,
            List<String> problems)
            throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long zeroSince = -1;
        Evidence evidence = null;
        long commandLag;
        long projectionLag;
        while (true) {
            commandLag = kafka.lag(Kafka.SEND_COMMANDS_GROUP, Topics.SEND_COMMANDS);
            projectionLag = kafka.projectionLag();
            long now = System.nanoTime();
            if (commandLag == 0 && projectionLag == 0) {
                zeroSince = zeroSince < 0 ? now : zeroSince;
                Evidence seen = PoisonEvidence.read(target, kafka, probes, answers, acknowledged, sentFrom);
                evidence = seen;
                if (probes.stream().allMatch(p -> PoisonVerdicts.judge(p, seen) == null)
                        || now - zeroSince > STEADY.toNanos()) {
                    break;
                }
            } else {
                zeroSince = -1;
            }
            if (now > deadline) {
                break;
            }
            Thread.sleep(1_000);
        }
        details.put("lag_send_commands", commandLag);
        details.put("lag_projection", projectionLag);
        out.printf(
                Locale.ROOT,
                "  %s consumer lag: %s %d, %s %d%n",
                commandLag == 0 && projectionLag == 0 ? "ok  " : "FAIL",
                Kafka.SEND_COMMANDS_GROUP,
                commandLag,
                Kafka.PROJECTION_GROUP,
                projectionLag);
        if (commandLag != 0) {
            problems.add("consumer lag of " + Kafka.SEND_COMMANDS_GROUP + " still " + commandLag + " after "
                    + SETTLE.toSeconds() + " s");
        }
        if (projectionLag != 0) {
            problems.add("consumer lag of " + Kafka.PROJECTION_GROUP + " still " + projectionLag + " after "
                    + SETTLE.toSeconds() + " s");
        }
        return evidence != null
                ? evidence
                : PoisonEvidence.read(target, kafka, probes, answers, acknowledged, sentFrom);
    }

    /** The send-service's dead-letter counts by topic and reason, as Prometheus reads them. */
    private List<String> dltMeter() {
        String scrape = target.prometheus(Target.PROJECTION_SERVICE);
        return scrape == null
                ? List.of()
                : scrape.lines()
                        .filter(l -> l.startsWith("mailtrail_kafka_dlt_total"))
                        .toList();
    }
}
