package dev.mailtrail.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fault drill of ./mailtrail drill: a fault injected into a stack of our own, bounded in time, judged in
 * PostgreSQL (every acknowledged event applied exactly once). {@link Drills} runs them in turn.
 */
sealed interface Drill
        permits BadInputDrill,
                DuplicatesDrill,
                PostgresOutageDrill,
                KafkaRestartDrill,
                SendServiceKillDrill,
                LostWebhooksDrill,
                PoisonDrill {

    Result run() throws Exception;

    /** One drill's outcome; sent/acknowledged/projected/lost count distinct events. */
    record Result(
            String name,
            boolean ok,
            long sent,
            long acknowledged,
            long projected,
            long lost,
            long doubleApplied,
            Map<String, Object> details,
            List<String> problems,
            double seconds) {

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
            return new Result(
                    name,
                    false,
                    0,
                    0,
                    0,
                    0,
                    0,
                    Map.of(),
                    List.of("drill did not complete: " + e),
                    (System.nanoTime() - startedNanos) / 1e9);
        }
    }
}
