package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.send.db.BatchInsert;
import dev.mailtrail.send.projection.Rollups.Counts;
import dev.mailtrail.send.projection.Rollups.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * engagement_rollup: adds a batch's changes in one upsert, and keeps the projection and the one-off
 * {@link RollupBackfill} from counting a state twice or never. While the backfill runs, the states past its cursor are
 * its to add (with whatever they hold when it reaches them), those up to it the projection's to move; a backfill
 * batch holds a transaction lock the projection's transactions share, so each of them sees the cursor either before
 * or after a whole backfill batch, never half of one. Once done, the projection skips both extra statements.
 */
@Repository
public class RollupRepository {

    /** The advisory lock between the backfill (exclusive) and the projection's batches (shared). */
    static final long BACKFILL_LOCK = 0x6d61696c_00000026L;

    private static final BatchInsert<Map.Entry<Key, Counts>> ROWS = rows();

    private static final String UPSERT =
            ROWS.sql() + " ON CONFLICT (tenant_id, dimension, day, md5(value)) DO UPDATE SET "
                    + Figure.ALL.stream()
                            .map(f -> f.column() + " = engagement_rollup." + f.column() + " + EXCLUDED." + f.column())
                            .collect(Collectors.joining(", "));

    private final DatabaseClient db;
    private final AtomicBoolean backfilled = new AtomicBoolean();

    public RollupRepository(DatabaseClient db) {
        this.db = db;
    }

    private static BatchInsert<Map.Entry<Key, Counts>> rows() {
        BatchInsert<Map.Entry<Key, Counts>> rows = BatchInsert.<Map.Entry<Key, Counts>>into("engagement_rollup")
                .column("tenant_id", "text", r -> r.getKey().tenantId())
                .column("dimension", "text", r -> r.getKey().dimension())
                .column("value", "text", r -> r.getKey().value())
                .column("day", "date", r -> r.getKey().day());
        for (Figure f : Figure.ALL) {
            rows.column(f.column(), "bigint", r -> r.getValue().get(f));
        }
        return rows;
    }

    /**
     * First statement of a projection transaction: while the backfill runs, waits for a backfill batch in flight
     * and keeps the next one out until this transaction ends.
     */
    Mono<Void> guard() {
        if (backfilled.get()) {
            return Mono.empty();
        }
        return db.sql("SELECT pg_advisory_xact_lock_shared($1) AS locked, done FROM engagement_rollup_backfill")
                .bind(0, BACKFILL_LOCK)
                .map(row -> row.get("done", Boolean.class))
                .one()
                .doOnNext(done -> {
                    if (done) {
                        backfilled.set(true);
                    }
                })
                .then();
    }

    /** Moves the rollups by these state changes (before: null for a new state), in the caller's transaction. */
    Mono<Void> move(List<Rollups.Change> changes) {
        if (changes.isEmpty()) {
            return Mono.empty();
        }
        if (backfilled.get()) {
            return add(Rollups.delta(changes));
        }
        Set<ActivityKey> keys =
                changes.stream().map(c -> ActivityKey.of(c.after())).collect(Collectors.toSet());
        return covered(keys)
                .flatMap(covered -> add(Rollups.delta(changes.stream()
                        .filter(c -> covered.contains(ActivityKey.of(c.after())))
                        .toList())));
    }

    /** Adds these counts (one row per key) in one statement. */
    Mono<Void> add(Map<Key, Counts> delta) {
        if (delta.isEmpty()) {
            return Mono.empty();
        }
        return ROWS.bind(db.sql(UPSERT), new ArrayList<>(delta.entrySet())).then();
    }

    /** The activities the backfill has passed (their rollups the projection's to move). */
    private Mono<Set<ActivityKey>> covered(Collection<ActivityKey> keys) {
        return db.sql(
                        "SELECT k.tenant_id, k.activity_id FROM unnest($1::text[], $2::text[]) AS k (tenant_id, activity_id),"
                                + " engagement_rollup_backfill b"
                                + " WHERE b.done OR (k.tenant_id, k.activity_id) <= (b.tenant_id, b.activity_id)")
                .bind(0, keys.stream().map(ActivityKey::tenantId).toArray(String[]::new))
                .bind(1, keys.stream().map(ActivityKey::activityId).toArray(String[]::new))
                .map(row -> new ActivityKey(row.get("tenant_id", String.class), row.get("activity_id", String.class)))
                .all()
                .collect(Collectors.toCollection(HashSet::new));
    }

    /**
     * One backfill batch in the caller's transaction: the next {@code limit} states past the cursor added to the
     * rollups, the cursor moved past them (done when fewer were left). Answers how many were added, or -1 when the
     * backfill was already done.
     */
    Mono<Integer> backfillBatch(int limit) {
        return db.sql("SELECT pg_advisory_xact_lock($1) AS locked, done, tenant_id, activity_id"
                        + " FROM engagement_rollup_backfill")
                .bind(0, BACKFILL_LOCK)
                .map(row -> row.get("done", Boolean.class)
                        ? List.<String>of()
                        : Arrays.asList(row.get("tenant_id", String.class), row.get("activity_id", String.class)))
                .one()
                .flatMap(cursor -> cursor.isEmpty()
                        ? Mono.just(-1)
                        : nextStates(cursor, limit)
                                .flatMap(states -> add(Rollups.delta(states.stream()
                                                .map(s -> new Rollups.Change(null, s))
                                                .toList()))
                                        .then(advance(states, limit))
                                        .thenReturn(states.size())));
    }

    private Mono<List<ActivityState>> nextStates(List<String> cursor, int limit) {
        boolean first = cursor.get(0) == null;
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT * FROM activity_state"
                        + (first ? "" : " WHERE (tenant_id, activity_id) > ($2, $3)")
                        + " ORDER BY tenant_id, activity_id LIMIT $1")
                .bind(0, limit);
        if (!first) {
            spec = spec.bind(1, cursor.get(0)).bind(2, cursor.get(1));
        }
        return spec.map(ActivityStateRepository::toState).all().collectList();
    }

    private Mono<Void> advance(List<ActivityState> states, int limit) {
        if (states.isEmpty()) {
            return db.sql("UPDATE engagement_rollup_backfill SET done = true").then();
        }
        ActivityState last = states.get(states.size() - 1);
        return db.sql("UPDATE engagement_rollup_backfill SET tenant_id = $1, activity_id = $2, done = $3")
                .bind(0, last.tenantId())
                .bind(1, last.activityId())
                .bind(2, states.size() < limit)
                .then();
    }
}
