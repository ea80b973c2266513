package dev.mailtrail.bench;

import dev.mailtrail.bench.Webhooks.Webhook;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The end of a webhook drill: waits until the projection has no lag, then checks in PostgreSQL that every webhook
 * the ingest acknowledged was applied exactly once and every open and click counted.
 */
final class Settlement {

    /** How long the projection may take to catch up after a drill's load and fault. */
    static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final DrillContext context;

    Settlement(DrillContext context) {
        this.context = context;
    }

    Drill.Result settle(
            String name, List<Webhook> distinct, Redelivery.Ledger ledger, Map<String, Object> details, long t0)
            throws Exception {
        List<String> problems = new ArrayList<>();
        long settled = System.nanoTime();
        Kafka kafka = context.kafka();
        if (kafka.awaitNoLag(TIMEOUT, Duration.ofMillis(250), null) < 0) {
            problems.add("projection lag not zero " + TIMEOUT.toMinutes() + " min after the load (lag "
                    + kafka.projectionLag() + ")");
        }
        details.put("settle_s", Stats.round((System.nanoTime() - settled) / 1e9, 1));
        Set<String> ids = distinct.stream().map(Webhook::eventId).collect(Collectors.toSet());
        Applied.Check check;
        try (Connection c = context.target().jdbc()) {
            check = Applied.check(c, ids, ledger.acknowledged, Applied.expected(Webhooks.triples(distinct)));
        }
        long neverAcknowledged = ids.size() - ledger.acknowledged.size();
        if (neverAcknowledged > 0) {
            problems.add(neverAcknowledged + " webhooks never acknowledged, even redelivered for "
                    + Redelivery.WINDOW.toSeconds() + " s");
        }
        if (check.countsBelow() > 0) {
            problems.add(check.countsBelow() + " opens/clicks missing from the counts");
        }
        problems.addAll(check.problems());
        details.put("never_acknowledged", neverAcknowledged);
        boolean ok = check.lost() == 0
                && check.doubleApplied() == 0
                && check.countsBelow() == 0
                && neverAcknowledged == 0
                && problems.isEmpty();
        return new Drill.Result(
                name,
                ok,
                ids.size(),
                ledger.acknowledged.size(),
                check.projected(),
                check.lost(),
                check.doubleApplied(),
                details,
                problems,
                (System.nanoTime() - t0) / 1e9);
    }
}
