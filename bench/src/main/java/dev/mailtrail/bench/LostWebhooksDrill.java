package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.localstack.Component;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * Emails sent through {@code POST /api/crm/emails} while the simulator loses a share of its webhook events (every
 * automatic attempt fails, {@code loss_rate}): only the reconciler's replays bring those to the ingest. Two runs: the
 * issue's drill (200 emails at 0.3) and its "Done when" (20 at 0.5, all delivered within two minutes of the first
 * send). Passes when every email ends {@code DELIVERED}, each activity shows exactly one {@code delivered} on its
 * timeline and in {@code activity_event}, and no event id is stored twice. The drill stack runs the reconciler every
 * 10 s with a 5 s grace ({@link #STACK_SETTINGS}).
 */
record LostWebhooksDrill(DrillContext context) implements Drill {

    static final String NAME = "lost-webhooks";

    /** What the drill stack's send-service runs with, so a lost event is replayed within seconds, not minutes. */
    static final Map<String, String> STACK_SETTINGS =
            Map.of("MAILTRAIL_RECONCILE_INTERVAL", "10s", "MAILTRAIL_RECONCILE_GRACE", "5s");

    /** One run: so many emails at that loss rate, every one delivered within that time of the first send. */
    record Run(String scope, int emails, double lossRate, Duration within) {}

    static final List<Run> RUNS = List.of(
            new Run("drill", 200, 0.3, Duration.ofMinutes(3)), new Run("done-when", 20, 0.5, Duration.ofMinutes(2)));

    private static final String DELIVERED = "DELIVERED";

    @Override
    public Result run() throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> details = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        long sent = 0;
        long acknowledged = 0;
        long projected = 0;
        long lost = 0;
        long doubleApplied = 0;
        try (HttpLoad api = new HttpLoad(context.target().config().sendUrl(), 8, "lost-api");
                HttpLoad simulator = new HttpLoad(context.target().config().simulatorUrl(), 2, "lost-simulator")) {
            for (Run run : RUNS) {
                Map<String, Object> runDetails = new LinkedHashMap<>();
                Outcome o = run(run, api, simulator, runDetails, problems);
                details.put(run.scope(), runDetails);
                sent += run.emails();
                acknowledged += o.acknowledged();
                projected += o.delivered();
                lost += o.acknowledged() - o.delivered();
                doubleApplied += o.doubleApplied();
            }
        }
        boolean ok = lost == 0 && doubleApplied == 0 && acknowledged == sent && problems.isEmpty();
        return new Result(
                NAME,
                ok,
                sent,
                acknowledged,
                projected,
                lost,
                doubleApplied,
                details,
                problems,
                (System.nanoTime() - t0) / 1e9);
    }

    private record Outcome(long acknowledged, long delivered, long doubleApplied) {}

    private Outcome run(Run run, HttpLoad api, HttpLoad simulator, Map<String, Object> details, List<String> problems)
            throws Exception {
        String prefix = context.webhooks().activityPrefix("lost-" + run.scope());
        double replayedBefore = replayed();
        String token = context.target().config().apiToken();
        List<Request> commands = IntStream.range(0, run.emails())
                .mapToObj(i -> SendBench.request(SendBench.body(prefix + i), token))
                .toList();
        long t0 = System.nanoTime();
        long deadline = t0 + run.within().toNanos();
        long delivered = 0;
        HttpLoad.Run sends;
        SendBench.settings(simulator, String.format(Locale.ROOT, "{\"loss_rate\":%s}", run.lossRate()));
        try {
            sends = api.run(commands, api::send, 8, null);
            try (Connection c = context.target().jdbc()) {
                while (System.nanoTime() < deadline) {
                    delivered = ProjectionBench.count(
                            c,
                            "SELECT count(*) FROM activity_state WHERE activity_id LIKE ? AND status = '" + DELIVERED
                                    + "'",
                            prefix + "%");
                    if (delivered >= run.emails()) {
                        break;
                    }
                    Thread.sleep(250);
                }
            }
        } finally {
            SendBench.settings(simulator, "{\"loss_rate\":0}");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        context.out()
                .printf(
                        Locale.ROOT,
                        "  %d emails at loss_rate %.1f: %d delivered after %.1f s%n",
                        run.emails(),
                        run.lossRate(),
                        delivered,
                        seconds);
        if (delivered < run.emails()) {
            problems.add(run.scope() + ": " + (run.emails() - delivered) + " of " + run.emails() + " not " + DELIVERED
                    + " within " + run.within().toSeconds() + " s");
        }
        long doubleApplied = stored(prefix, run, problems) + timelines(api, prefix, run, token, problems);
        details.put("emails", run.emails());
        details.put("loss_rate", run.lossRate());
        details.put("sends", sends.byStatus());
        details.put("delivered", delivered);
        details.put("all_delivered_s", delivered >= run.emails() ? Stats.round(seconds, 1) : null);
        details.put("within_s", run.within().toSeconds());
        details.putAll(lostBySimulator(simulator, prefix));
        details.put("replays_requested", Math.round(replayed() - replayedBefore));
        return new Outcome(sends.ok(), delivered, doubleApplied);
    }

    /** The send-service's {@code mailtrail.reconcile.replayed} so far. */
    private double replayed() {
        return Scrape.sum(context.target().prometheus(Component.SEND_SERVICE), "mailtrail_reconcile_replayed_total");
    }

    /** Stored twice: an event id in more than one row, or more than one {@code delivered} row for an activity. */
    private long stored(String prefix, Run run, List<String> problems) throws SQLException {
        long twice = 0;
        try (Connection c = context.target().jdbc();
                PreparedStatement ps = c.prepareStatement("SELECT s.activity_id,"
                        + " count(*) FILTER (WHERE e.type = 'delivered'), count(e.event_id) - count(DISTINCT e.event_id)"
                        + " FROM activity_state s JOIN activity_event e ON e.activity_key = s.tenant_id || ':' || s.activity_id"
                        + " WHERE s.activity_id LIKE ? GROUP BY s.activity_id")) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long extra = Math.max(0, rs.getLong(2) - 1) + rs.getLong(3);
                    if (extra > 0 && problems.size() < 10) {
                        problems.add(run.scope() + ": " + rs.getString(1) + " has " + rs.getLong(2)
                                + " delivered rows, " + rs.getLong(3) + " repeated event ids");
                    }
                    twice += extra;
                }
            }
        }
        return twice;
    }

    /** Through the query API: each activity's timeline shows {@code delivered} exactly once. */
    private long timelines(HttpLoad api, String prefix, Run run, String token, List<String> problems) {
        long twice = 0;
        for (int i = 0; i < run.emails(); i++) {
            String id = prefix + i;
            Answer a = api.sendAndWait(Request.get(
                    "/api/crm/activities/" + id + "/timeline?tenantId=" + Webhooks.TENANT,
                    Map.of("Authorization", "Bearer " + token)));
            if (a.status() != 200) {
                problems.add(run.scope() + ": GET timeline of " + id + ": " + a.statusKey());
                continue;
            }
            long delivered = WireJson.mapper()
                    .readTree(a.body())
                    .path("events")
                    .valueStream()
                    .filter(e -> e.path("type").asString().equalsIgnoreCase("delivered"))
                    .count();
            if (delivered > 1) {
                twice += delivered - 1;
                problems.add(run.scope() + ": timeline of " + id + " shows delivered " + delivered + " times");
            }
        }
        return twice;
    }

    /**
     * From the simulator's delivery log: the run's events whose automatic attempts were lost, and how many of those
     * a replay then delivered.
     */
    private Map<String, Object> lostBySimulator(HttpLoad simulator, String prefix) throws SQLException {
        Set<String> emailIds = new HashSet<>();
        try (Connection c = context.target().jdbc();
                PreparedStatement ps =
                        c.prepareStatement("SELECT provider_message_id FROM send_request WHERE activity_id LIKE ?")) {
            ps.setString(1, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    emailIds.add(rs.getString(1));
                }
            }
        }
        JsonNode deliveries = WireJson.mapper()
                .readTree(simulator
                        .sendAndWait(Request.get("/_simulator/deliveries", Map.of()))
                        .body());
        Set<String> lost = new HashSet<>();
        Set<String> delivered = new HashSet<>();
        for (JsonNode d : deliveries) {
            if (!emailIds.contains(d.path("email_id").asString())) {
                continue;
            }
            String svixId = d.path("svix_id").asString();
            if ("lost (loss_rate)".equals(d.path("error").asString())) {
                lost.add(svixId);
            } else if (d.path("succeeded").asBoolean()) {
                delivered.add(svixId);
            }
        }
        long replayedIn = lost.stream().filter(delivered::contains).count();
        return Map.of("events_lost_by_simulator", lost.size(), "lost_events_delivered_by_replay", replayedIn);
    }
}
