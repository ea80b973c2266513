package dev.mailtrail.bench;

import dev.mailtrail.events.EmailEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The same events under two sets of activity ids: the first projected cleanly, the second with the send-service
 * SIGKILLed a quarter of the way through and restarted. Their states must be equal.
 */
record SendServiceKillDrill(DrillContext context) implements Drill {

    static final String NAME = "send-service-kill";

    private static final int ACTIVITIES = 6_000;
    private static final Duration SETTLE = Settlement.TIMEOUT;

    @Override
    public Result run() throws Exception {
        long t0 = System.nanoTime();
        Kafka kafka = context.kafka();
        String runTag = context.webhooks().activityPrefix("kill");
        String clean = runTag + "b-";
        String killed = runTag + "a-";
        Instant base = Instant.now().minusSeconds(10_800);
        List<EmailEvent> cleanDistinct = Events.distinct(clean, ACTIVITIES, base);
        List<EmailEvent> killedDistinct = Events.distinct(killed, ACTIVITIES, base);
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
        context.target().stack().stop(Target.PROJECTION_SERVICE, true);
        context.out()
                .printf(
                        Locale.ROOT,
                        "  send-service killed (SIGKILL) after %,d of %,d records were committed; restarting ...%n",
                        applied,
                        killedRecords.size());
        details.put("records", killedRecords.size());
        details.put("committed_when_killed", applied);
        long acknowledged = producing.get(2, TimeUnit.MINUTES);
        long restart = System.nanoTime();
        context.target().stack().start(Target.PROJECTION_SERVICE);
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
        try (Connection c = context.target().jdbc()) {
            check = Applied.check(c, ids, ids, Applied.expected(triples));
            Map<String, String> cleanStates = states(c, clean);
            Map<String, String> killedStates = states(c, killed);
            Map<String, String> cleanTimelines = timelines(c, clean);
            Map<String, String> killedTimelines = timelines(c, killed);
            for (int i = 0; i < ACTIVITIES; i++) {
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
            if (cleanStates.size() != ACTIVITIES) {
                problems.add("the clean run has " + cleanStates.size() + " of " + ACTIVITIES + " activities");
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
        return new Result(
                NAME,
                ok && problems.isEmpty(),
                ids.size(),
                acknowledgedDistinct,
                check.projected(),
                check.lost(),
                check.doubleApplied(),
                details,
                problems,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Each activity's state without what differs between twins by construction (ids, version, update time). */
    private static Map<String, String> states(Connection c, String prefix) throws SQLException {
        return byActivity(
                c,
                "SELECT activity_id, (to_jsonb(s) - 'activity_id' - 'version' - 'updated_at' - 'message_id')::text "
                        + "FROM activity_state s WHERE activity_id LIKE ?",
                prefix);
    }

    private static Map<String, String> timelines(Connection c, String prefix) throws SQLException {
        return byActivity(
                c,
                "SELECT split_part(activity_key, ':', 2), string_agg(type || '@' || occurred_at, ','"
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
