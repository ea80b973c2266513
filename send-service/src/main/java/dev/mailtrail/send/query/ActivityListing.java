package dev.mailtrail.send.query;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.send.projection.ActivityStateRepository;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * One tenant's activities in keyset order (newest send first, unsent first of all), optionally only some
 * statuses, optionally only the follow-up list "sent at least N ago, nobody opened or replied". Backed by the
 * indexes of V4, V7, V20 and V25: each follow-up predicate here is written exactly as its partial index's, so the planner can use
 * it.
 */
@Repository
public class ActivityListing {

    /**
     * No counted open or click (machine hits do not count: Apple Mail would empty every list; unknown ones do), opens
     * tracked, not suppressed, failed, bounced or complained. Said in timestamps set once, as V7's index is, not in
     * counts and status: an index predicate's columns keep every update that changes them from being HOT.
     */
    static final String FOLLOW_UP = "first_opened_at IS NULL AND first_clicked_at IS NULL "
            + "AND open_tracking = 'TRACKED' AND suppressed_at IS NULL AND failed_at IS NULL "
            + "AND bounced_at IS NULL AND complained_at IS NULL AND replied_at IS NULL";

    /** Only a person's engagement (a human-classified open or click) takes an activity off: V20's index. */
    static final String FOLLOW_UP_STRICT = "NOT human_engaged AND open_tracking = 'TRACKED' "
            + "AND suppressed_at IS NULL AND failed_at IS NULL AND bounced_at IS NULL AND complained_at IS NULL "
            + "AND replied_at IS NULL";

    /**
     * What takes an activity off the follow-up list: ANY counted engagement (human or unknown: today's list), or
     * only STRICTly a person's, so an unknown open (Resend's, which carry no client data) leaves it on.
     */
    public enum Engagement {
        ANY,
        STRICT;

        /** The API's {@code engagement} values. */
        public static final List<String> WIRE =
                Stream.of(values()).map(Engagement::wire).toList();

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The API's value, in any case; empty when it names none. */
        public static Optional<Engagement> of(String wire) {
            return Stream.of(values())
                    .filter(e -> e.wire().equalsIgnoreCase(wire.trim()))
                    .findFirst();
        }
    }

    /** {@code engagement}: which follow-up list {@code sentBefore} asks for (none without it). */
    public record Query(
            String tenantId,
            Set<ActivityStatus> statuses,
            Instant sentBefore,
            Engagement engagement,
            PageCursor after,
            int limit) {}

    public record Page(List<ActivityState> items, PageCursor next) {}

    private final DatabaseClient db;

    public ActivityListing(DatabaseClient db) {
        this.db = db;
    }

    public Mono<Page> page(Query query) {
        return statement(query)
                .on(db, "")
                .map(ActivityStateRepository::toState)
                .all()
                .collectList()
                .map(rows -> {
                    boolean more = rows.size() > query.limit();
                    List<ActivityState> items = more ? rows.subList(0, query.limit()) : rows;
                    return new Page(List.copyOf(items), more ? PageCursor.after(items.get(items.size() - 1)) : null);
                });
    }

    /** A statement (a listing page's, a report's): its SQL text and what binds to $1, $2, … in order. */
    record Statement(String sql, List<Object> binds) {

        /** Bound on {@code db}, the text after {@code prefix} (e.g. {@code EXPLAIN }, to see the plan). */
        DatabaseClient.GenericExecuteSpec on(DatabaseClient db, String prefix) {
            DatabaseClient.GenericExecuteSpec spec = db.sql(prefix + sql);
            for (int i = 0; i < binds.size(); i++) {
                spec = spec.bind(i, binds.get(i));
            }
            return spec;
        }
    }

    static Statement statement(Query query) {
        List<Object> binds = new ArrayList<>();
        StringBuilder sql = new StringBuilder("SELECT * FROM activity_state WHERE tenant_id = $1");
        binds.add(query.tenantId());
        if (!query.statuses().isEmpty()) {
            binds.add(query.statuses().stream().map(Enum::name).toArray(String[]::new));
            sql.append(" AND status = ANY($").append(binds.size()).append(')');
        }
        if (query.sentBefore() != null) {
            binds.add(query.sentBefore().atOffset(ZoneOffset.UTC));
            sql.append(" AND ")
                    .append(query.engagement() == Engagement.STRICT ? FOLLOW_UP_STRICT : FOLLOW_UP)
                    .append(" AND sent_sort <= $")
                    .append(binds.size());
        }
        if (query.after() != null) {
            binds.add(query.after().id());
            String id = "$" + binds.size();
            if (query.after().at() == null) {
                sql.append(" AND (sent_sort, activity_id) < ('infinity'::timestamptz, ")
                        .append(id)
                        .append(')');
            } else {
                binds.add(query.after().at().atOffset(ZoneOffset.UTC));
                sql.append(" AND (sent_sort, activity_id) < ($")
                        .append(binds.size())
                        .append(", ")
                        .append(id)
                        .append(')');
            }
        }
        binds.add(query.limit() + 1);
        sql.append(" ORDER BY sent_sort DESC, activity_id DESC LIMIT $").append(binds.size());
        return new Statement(sql.toString(), List.copyOf(binds));
    }
}
