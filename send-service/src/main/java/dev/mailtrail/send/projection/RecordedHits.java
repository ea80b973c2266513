package dev.mailtrail.send.projection;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.projection.EngagementFold.Read;
import dev.mailtrail.send.projection.EngagementFold.Recorded;
import dev.mailtrail.send.projection.EngagementFold.Window;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * What {@link EngagementFold} reads of activity_event's opens and clicks, a statement per kind of read for the whole
 * batch, and the burst flags it stores. Run in the batch's transaction after the new events are recorded: it sees
 * them and every committed one (a batch committed after the states were read fails the save's version check, and
 * the retry reads it). The clicks' reads are served by V10's index of clicks by time, so they cost what the windows
 * hold, not what the activity has.
 */
@Repository
class RecordedHits {

    private static final String COLUMNS = "e.activity_key, e.event_id, e.type, e.occurred_at, e.classification,"
            + " e.unsure, e.link, e.burst, e.source";

    /** Every window of the batch: (activity, from, to) as three arrays. */
    private static final String WINDOWS = "unnest($1::text[], $2::text[]::timestamptz[], $3::text[]::timestamptz[])"
            + " AS w (activity_key, from_at, to_at)";

    /**
     * A click not a machine's (the edge's, a burst's, or too soon after delivery: b.scanner_until), nor the
     * provider's while only ours count (b.own_clicks: {@link Corroboration}).
     */
    private static final String COUNTED = "e.classification <> 'machine' AND NOT e.burst"
            + " AND NOT (e.unsure AND e.occurred_at < COALESCE(b.scanner_until, '-infinity'))"
            + " AND NOT (b.own_clicks AND e.source <> 'tracking_redirect')";

    /** The counted click outside every window nearest a bound; {@code %s}: the side and the order. */
    private static final String NEAREST = "(SELECT e.occurred_at FROM activity_event e WHERE e.activity_key ="
            + " b.activity_key AND e.type = 'clicked' AND e.occurred_at %s AND " + COUNTED + " AND NOT EXISTS"
            + " (SELECT 1 FROM " + WINDOWS + " WHERE w.activity_key = e.activity_key"
            + " AND e.occurred_at BETWEEN w.from_at AND w.to_at) ORDER BY e.occurred_at %s LIMIT 1)";

    private final DatabaseClient db;

    RecordedHits(DatabaseClient db) {
        this.db = db;
    }

    /** The answer to each read, by activity (every one: those that read nothing get nothing). */
    Mono<Map<String, Recorded>> read(Collection<Read> reads) {
        List<Read> windowed = reads.stream().filter(Read::readsWindows).toList();
        List<Read> bounded = reads.stream().filter(Read::readsBounds).toList();
        List<String> all = reads.stream()
                .filter(r -> r.kind() == EngagementFold.Kind.ALL)
                .map(Read::activityId)
                .toList();
        // one after another: they share the batch's connection
        return windowClicks(windowed)
                .flatMap(inWindows -> everyHit(all)
                        .flatMap(every -> bounds(windowed, bounded).map(nearest -> {
                            Map<String, Recorded> answers = new HashMap<>();
                            for (Read r : reads) {
                                List<Hit> found = inWindows.getOrDefault(
                                        r.activityId(), every.getOrDefault(r.activityId(), List.of()));
                                Instant[] outside = nearest.getOrDefault(r.activityId(), new Instant[2]);
                                answers.put(r.activityId(), new Recorded(r, found, outside[0], outside[1]));
                            }
                            return answers;
                        })));
    }

    private Mono<Map<String, List<Hit>>> windowClicks(List<Read> reads) {
        if (reads.isEmpty()) {
            return Mono.just(Map.of());
        }
        return byActivity(bindWindows(
                db.sql("SELECT " + COLUMNS + " FROM " + WINDOWS + " JOIN activity_event e"
                        + " ON e.activity_key = w.activity_key AND e.type = 'clicked'"
                        + " AND e.occurred_at BETWEEN w.from_at AND w.to_at"),
                reads));
    }

    private Mono<Map<String, List<Hit>>> everyHit(List<String> activityIds) {
        if (activityIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return byActivity(db.sql("SELECT " + COLUMNS + " FROM activity_event e WHERE e.activity_key = ANY($1)"
                        + " AND e.type IN ('opened', 'clicked')")
                .bind(0, activityIds.toArray(String[]::new)));
    }

    /** The nearest counted click outside the windows: from the old first on, and back from the old last. */
    private Mono<Map<String, Instant[]>> bounds(List<Read> windowed, List<Read> reads) {
        if (reads.isEmpty()) {
            return Mono.just(Map.of());
        }
        String sql = "SELECT b.activity_key, " + NEAREST.formatted(">= b.first_from", "ASC") + " AS first_outside, "
                + NEAREST.formatted("<= b.last_to", "DESC") + " AS last_outside FROM unnest($4::text[],"
                + " $5::text[]::timestamptz[], $6::text[]::timestamptz[], $7::text[]::timestamptz[],"
                + " $8::text[]::boolean[]) AS b (activity_key, first_from, last_to, scanner_until, own_clicks)";
        return bindWindows(db.sql(sql), windowed)
                .bind(3, texts(reads, Read::activityId))
                .bind(4, texts(reads, r -> time(r.firstFrom())))
                .bind(5, texts(reads, r -> time(r.lastTo())))
                .bind(6, texts(reads, r -> time(r.scannerUntil())))
                .bind(7, texts(reads, r -> Boolean.toString(r.ownClicks())))
                .map(row -> Map.entry(row.get("activity_key", String.class), new Instant[] {
                    ActivityStateRepository.instant(row, "first_outside"),
                    ActivityStateRepository.instant(row, "last_outside")
                }))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * Stores the burst flags the fold found (by activity, then event id), in one statement. Set when a click joins
     * a burst; an earlier delivery's recount may also clear one (after a change of the burst rules).
     */
    Mono<Void> markBursts(Map<String, Map<String, Boolean>> flags) {
        List<String[]> rows = new ArrayList<>();
        flags.forEach((activityId, byEvent) ->
                byEvent.forEach((eventId, burst) -> rows.add(new String[] {activityId, eventId, burst.toString()})));
        if (rows.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("UPDATE activity_event e SET burst = f.burst FROM unnest($1::text[], $2::text[],"
                        + " $3::text[]::boolean[]) AS f (activity_key, event_id, burst)"
                        + " WHERE e.activity_key = f.activity_key AND e.event_id = f.event_id")
                .bind(0, rows.stream().map(r -> r[0]).toArray(String[]::new))
                .bind(1, rows.stream().map(r -> r[1]).toArray(String[]::new))
                .bind(2, rows.stream().map(r -> r[2]).toArray(String[]::new))
                .then();
    }

    /** $1, $2, $3: every window of the reads. */
    private static DatabaseClient.GenericExecuteSpec bindWindows(
            DatabaseClient.GenericExecuteSpec spec, List<Read> reads) {
        List<String[]> windows = new ArrayList<>();
        for (Read r : reads) {
            for (Window w : r.windows()) {
                windows.add(new String[] {r.activityId(), time(w.from()), time(w.to())});
            }
        }
        return spec.bind(0, windows.stream().map(w -> w[0]).toArray(String[]::new))
                .bind(1, windows.stream().map(w -> w[1]).toArray(String[]::new))
                .bind(2, windows.stream().map(w -> w[2]).toArray(String[]::new));
    }

    private static Mono<Map<String, List<Hit>>> byActivity(DatabaseClient.GenericExecuteSpec spec) {
        return spec.map(row -> Map.entry(row.get("activity_key", String.class), hit(row)))
                .all()
                .collect(
                        HashMap::new,
                        (map, row) -> map.computeIfAbsent(row.getKey(), id -> new ArrayList<>())
                                .add(row.getValue()));
    }

    private static Hit hit(Readable row) {
        return new Hit(
                row.get("event_id", String.class),
                EmailEventType.fromWire(row.get("type", String.class)),
                ActivityStateRepository.instant(row, "occurred_at"),
                Classification.fromWire(row.get("classification", String.class)),
                row.get("unsure", Boolean.class),
                row.get("link", String.class),
                row.get("burst", Boolean.class),
                EventSource.fromWire(row.get("source", String.class)));
    }

    private static String[] texts(List<Read> reads, Function<Read, String> value) {
        return reads.stream().map(value).toArray(String[]::new);
    }

    private static String time(Instant at) {
        return at == null ? null : WireJson.format(at);
    }
}
