package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.db.BatchInsert;
import io.r2dbc.postgresql.codec.Json;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The applied-events table: dedupe key, the context rules' memory of every open and click ({@link Hit}), and the
 * rows of the timeline ({@link TimelineReader} puts them in context). Opens and clicks keep their full payload up
 * to {@link EngagementStorage}'s cap per activity; the timeline lists what has one.
 */
@Repository
public class ActivityEventRepository {

    private static final BatchInsert<Row> ROWS = BatchInsert.<Row>into("activity_event")
            .column("event_id", "text", r -> r.event().eventId())
            .column("activity_key", "text", r -> r.key().value())
            .column("type", "text", r -> r.event().type().wire())
            .column("occurred_at", "timestamptz", r -> r.event().occurredAt())
            .column("source", "text", r -> r.event().source().wire())
            .column("classification", "text", r -> r.event().classification().wire())
            .column("unsure", "boolean", r -> r.hit() != null && r.hit().unsure())
            .column("link", "text", r -> r.hit() == null ? null : r.hit().link())
            .column("payload", "jsonb", r -> r.listed() ? r.event() : null);

    private static final String[] SINGLE_SHOT = Arrays.stream(EmailEventType.values())
            .filter(EmailEventType::singleShot)
            .map(EmailEventType::wire)
            .toArray(String[]::new);

    /**
     * A page: the listed events (payload kept) in time order, ties by event id as Java orders them
     * ({@link Timeline#ORDER}: collation C, whatever the database's locale), after the cursor when there is one;
     * a single-shot fact only at its earliest, found once per page for the whole activity, once per recipient when
     * the email went out as one message per recipient (the recipient's tag, {@link dev.mailtrail.events.Recipients}).
     */
    private static final String PAGE = """
            SELECT e.event_id, e.occurred_at, e.payload, e.burst FROM activity_event e
            WHERE e.activity_key = $1 AND e.payload IS NOT NULL %s
              AND (e.type <> ALL($2) OR e.event_id IN (
                SELECT DISTINCT ON (f.type, f.payload->'tags'->>'recipient_index') f.event_id FROM activity_event f
                WHERE f.activity_key = $1 AND f.type = ANY($2)
                ORDER BY f.type, f.payload->'tags'->>'recipient_index', f.occurred_at, f.event_id COLLATE "C"))
            ORDER BY e.occurred_at, e.event_id COLLATE "C" LIMIT $3""";

    private static final String FIRST_PAGE = PAGE.formatted("");
    private static final String NEXT_PAGE =
            PAGE.formatted("AND (e.occurred_at, e.event_id COLLATE \"C\") > ($4::timestamptz, $5::text COLLATE \"C\")");

    private final DatabaseClient db;
    private final int payloadCap;

    public ActivityEventRepository(DatabaseClient db, EngagementStorage storage) {
        this.db = db;
        this.payloadCap = storage.engagementPayloadCap();
    }

    /**
     * Records the events in one multi-row statement and answers the ids that were new: the ones to apply.
     * A copy seen before (or twice in this batch) is dropped by the primary key. {@code before}: the states of
     * their activities before this batch (absent: none yet), whose counts say how many opens and clicks each has.
     */
    public Flux<String> recordNew(List<Resolved> events, Map<ActivityKey, ActivityState> before) {
        if (events.isEmpty()) {
            return Flux.empty();
        }
        return ROWS.bind(
                        db.sql(ROWS.sql() + " ON CONFLICT (activity_key, event_id) DO NOTHING RETURNING event_id"),
                        rows(events, before))
                .map(row -> row.get("event_id", String.class))
                .all();
    }

    /**
     * Each event, and whether it keeps its full payload: every fact does; an open or a click while its activity has
     * fewer of its kind than the cap, counting from the state's (distinct) counts and then this batch's distinct
     * ones in order. A copy applied in an earlier batch still takes a place here, so an activity may end a little
     * below the cap, never above it.
     */
    private List<Row> rows(List<Resolved> events, Map<ActivityKey, ActivityState> before) {
        Map<ActivityKey, long[]> hits = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<Row> rows = new ArrayList<>(events.size());
        for (Resolved r : events) {
            EmailEvent e = r.event();
            Hit hit = Engagement.counts(e) ? Hit.of(e) : null;
            boolean listed = true;
            if (hit != null && seen.add(r.key().value() + '\n' + e.eventId())) {
                long[] kept = hits.computeIfAbsent(r.key(), key -> recorded(before.get(key)));
                int kind = hit.click() ? 1 : 0;
                listed = kept[kind]++ < payloadCap;
            }
            rows.add(new Row(r.key(), e, hit, listed));
        }
        return rows;
    }

    /** The opens and the clicks an activity has recorded: its counts, by distinct id, every way. */
    private static long[] recorded(ActivityState state) {
        return state == null
                ? new long[2]
                : new long[] {
                    state.openCount()
                            + state.machineOpenCount()
                            + state.ownTracking().corroboratingOpens(),
                    state.clickCount()
                            + state.machineClickCount()
                            + state.ownTracking().corroboratingClicks()
                };
    }

    /**
     * The activity's listed events (payload kept) in timeline order after the cursor ({@code afterAt} and
     * {@code afterId} from the last one read; null for the start), at most {@code limit}, each as stored with its
     * burst flag.
     */
    public Flux<Listed> listed(ActivityKey activity, Instant afterAt, String afterId, int limit) {
        DatabaseClient.GenericExecuteSpec statement = db.sql(afterAt == null ? FIRST_PAGE : NEXT_PAGE)
                .bind(0, activity.value())
                .bind(1, SINGLE_SHOT)
                .bind(2, limit);
        if (afterAt != null) {
            statement = statement.bind(3, afterAt.atOffset(ZoneOffset.UTC)).bind(4, afterId);
        }
        return statement
                .map(row -> new Listed(
                        WireJson.read(row.get("payload", Json.class).asArray(), EmailEvent.class),
                        Boolean.TRUE.equals(row.get("burst", Boolean.class))))
                .all();
    }

    /** The activity's opens and clicks beyond the payload cap: counted, not listed. */
    public Mono<Unlisted> unlisted(ActivityKey activity) {
        return db.sql("SELECT count(*) FILTER (WHERE type = 'opened') AS opens,"
                        + " count(*) FILTER (WHERE type = 'clicked') AS clicks"
                        + " FROM activity_event WHERE activity_key = $1 AND payload IS NULL")
                .bind(0, activity.value())
                .map(row -> new Unlisted(row.get("opens", Long.class), row.get("clicks", Long.class)))
                .one();
    }

    /** A listed event as stored, and whether it was in a burst of clicks when last classified. */
    public record Listed(EmailEvent event, boolean burst) {}

    /** How many opens and clicks an activity has beyond the payload cap. */
    public record Unlisted(long opens, long clicks) {}

    /** An event and the activity it belongs to (its own tags, or found through Resend's email id). */
    public record Resolved(ActivityKey key, EmailEvent event) {}

    /** What one event writes: {@code hit} for an open or click, else null. */
    private record Row(ActivityKey key, EmailEvent event, Hit hit, boolean listed) {}
}
