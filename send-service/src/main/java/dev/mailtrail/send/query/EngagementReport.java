package dev.mailtrail.send.query;

import dev.mailtrail.send.projection.Figure;
import dev.mailtrail.send.projection.Rollups;
import dev.mailtrail.send.web.ProblemException;
import dev.mailtrail.send.web.ProblemException.FieldError;
import io.r2dbc.spi.Readable;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A tenant's engagement report, read from the projection's rollups (never from the states: a report over a year of
 * a busy tenant sums a few hundred rows). Counts are activities; each rate is a count over its denominator, null
 * when that is 0.
 */
@Component
public class EngagementReport {

    /** At most this many groups (days, tag values, links) per answer; {@code truncated} says when more exist. */
    static final int MAX_GROUPS = 1_000;

    static final String NONE = "none";
    static final String DAY = "day";
    static final String LINK = "link";

    private static final Pattern TAG_NAME = Pattern.compile("[A-Za-z0-9_-]{1,256}");

    private static final String SUMS = Figure.ALL.stream()
            .map(f -> "COALESCE(sum(" + f.column() + "), 0)::bigint AS " + f.column())
            .collect(Collectors.joining(", "));

    private final DatabaseClient db;

    EngagementReport(DatabaseClient db) {
        this.db = db;
    }

    /** What was asked: the tenant, the rollup dimension to group by (null: none), and the send days (inclusive). */
    record Query(String tenantId, String groupBy, LocalDate from, LocalDate to, String tagName, String tagValue) {

        /** The rows every figure is summed from: the tenant's, or those of the activities with the tag asked for. */
        String base() {
            return tagName == null ? Rollups.ALL : Rollups.TAG + tagName;
        }

        /** The rollup rows a group reads: the base rows for none and day. */
        String dimension() {
            return switch (groupBy) {
                case NONE, DAY -> base();
                case LINK -> Rollups.LINK;
                default -> groupBy;
            };
        }

        boolean byTag() {
            return groupBy.startsWith(Rollups.TAG);
        }
    }

    /** The request's parameters checked, each bad one named. */
    static Query query(String tenantId, String from, String to, String groupBy, List<FieldError> errors) {
        return query(tenantId, from, to, groupBy, null, errors);
    }

    /** {@code tag}: {@code <name>:<value>}, only the activities with that tag (grouped by none or day). */
    static Query query(String tenantId, String from, String to, String groupBy, String tag, List<FieldError> errors) {
        LocalDate first = day("from", from, errors);
        LocalDate last = day("to", to, errors);
        if (first != null && last != null && first.isAfter(last)) {
            errors.add(new FieldError("to", "must not be before from"));
        }
        String group = groupBy == null ? NONE : groupBy;
        boolean known = group.equals(NONE) || group.equals(DAY) || group.equals(LINK);
        if (!known
                && !(group.startsWith(Rollups.TAG)
                        && TAG_NAME.matcher(group.substring(Rollups.TAG.length()))
                                .matches())) {
            errors.add(new FieldError(
                    "groupBy", "must be none, day, link or tag:<name> (a tag name: 1-256 of A-Z a-z 0-9 _ -)"));
        }
        String[] filter = tag == null ? new String[2] : tag.split(":", 2);
        if (tag != null
                && (filter.length != 2
                        || !TAG_NAME.matcher(filter[0]).matches()
                        || !TAG_NAME.matcher(filter[1]).matches())) {
            errors.add(new FieldError("tag", "must be <name>:<value>, each 1-256 of A-Z a-z 0-9 _ -"));
        } else if (tag != null && !group.equals(NONE) && !group.equals(DAY)) {
            errors.add(new FieldError("tag", "goes with groupBy none or day"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return new Query(tenantId, group, first, last, filter[0], filter[1]);
    }

    private static LocalDate day(String field, String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "must be a day, YYYY-MM-DD"));
            return null;
        }
    }

    /** The sums of one dimension's rows in the query's days, per group key ({@code key}: null for one sum). */
    static ActivityListing.Statement statement(Query query, String dimension, String key) {
        List<Object> binds = new ArrayList<>(List.of(query.tenantId(), dimension));
        StringBuilder where = new StringBuilder(" FROM engagement_rollup WHERE tenant_id = $1 AND dimension = $2");
        if (query.tagValue() != null && dimension.equals(query.base())) {
            binds.add(query.tagValue());
            where.append(" AND value = $").append(binds.size());
        }
        if (query.from() != null) {
            binds.add(query.from());
            where.append(" AND day >= $").append(binds.size());
        }
        if (query.to() != null) {
            binds.add(query.to());
            where.append(" AND day <= $").append(binds.size());
        }
        if (key == null) {
            return new ActivityListing.Statement("SELECT " + SUMS + where, binds);
        }
        binds.add(MAX_GROUPS + 1);
        return new ActivityListing.Statement(
                "SELECT " + key + " AS key, " + SUMS + where + " GROUP BY 1 ORDER BY 1 LIMIT $" + binds.size(), binds);
    }

    /** The groups' statement, or null when the totals are the only group. */
    static ActivityListing.Statement groups(Query query) {
        return switch (query.groupBy()) {
            case NONE -> null;
            case DAY -> statement(query, query.base(), "to_char(day, 'YYYY-MM-DD')");
            default -> statement(query, query.dimension(), "value");
        };
    }

    Mono<Map<String, Object>> report(Query query) {
        Mono<Map<String, Object>> totals = sums(statement(query, query.base(), null));
        ActivityListing.Statement grouped = groups(query);
        if (grouped == null) {
            return totals.map(all -> body(List.of(withKey("all", all)), all, false));
        }
        Mono<List<Map<String, Object>>> rows = grouped.on(db, "")
                .map(row -> withKey(row.get("key", String.class), counts(row)))
                .all()
                .collectList();
        // the activities without the tag: all of them less those with a value of it (each has at most one)
        Mono<Map<String, Object>> tagged =
                query.byTag() ? sums(statement(query, query.dimension(), null)) : Mono.just(Map.of());
        return Mono.zip(totals, rows, tagged).map(t -> {
            List<Map<String, Object>> groups = new ArrayList<>(t.getT2());
            boolean truncated = groups.size() > MAX_GROUPS;
            if (truncated) {
                groups = new ArrayList<>(groups.subList(0, MAX_GROUPS));
            }
            if (query.byTag()) {
                Map<String, Object> untagged = minus(t.getT1(), t.getT3());
                if (untagged.values().stream().anyMatch(v -> (Long) v != 0)) {
                    groups.add(withKey(null, untagged));
                }
            }
            return body(groups, t.getT1(), truncated);
        });
    }

    private Mono<Map<String, Object>> sums(ActivityListing.Statement statement) {
        return statement.on(db, "").map(EngagementReport::counts).one();
    }

    private static Map<String, Object> counts(Readable row) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (Figure f : Figure.ALL) {
            counts.put(f.wire(), row.get(f.column(), Long.class));
        }
        return counts;
    }

    private static Map<String, Object> minus(Map<String, Object> all, Map<String, Object> some) {
        Map<String, Object> rest = new LinkedHashMap<>();
        all.forEach((figure, n) -> rest.put(figure, (Long) n - (Long) some.get(figure)));
        return rest;
    }

    private static Map<String, Object> withKey(String key, Map<String, Object> counts) {
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("key", key);
        group.putAll(withRates(counts));
        return group;
    }

    private static Map<String, Object> body(
            List<Map<String, Object>> groups, Map<String, Object> totals, boolean more) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("groups", groups);
        body.put("totals", withRates(totals));
        body.put("truncated", more);
        return body;
    }

    /** The counts and their rates: delivered over sent, the rest over delivered, click-to-open over opened. */
    static Map<String, Object> withRates(Map<String, Object> counts) {
        Map<String, Object> figures = new LinkedHashMap<>(counts);
        long sent = (Long) counts.get(Figure.SENT.wire());
        long delivered = (Long) counts.get(Figure.DELIVERED.wire());
        long opened = (Long) counts.get(Figure.OPENED.wire());
        figures.put("deliveryRate", rate(delivered, sent));
        figures.put("openRate", rate(opened, delivered));
        figures.put("humanOpenRate", rate((Long) counts.get(Figure.HUMAN_OPENED.wire()), delivered));
        figures.put("clickRate", rate((Long) counts.get(Figure.CLICKED.wire()), delivered));
        figures.put("clickToOpenRate", rate((Long) counts.get(Figure.CLICKED.wire()), opened));
        figures.put("replyRate", rate((Long) counts.get(Figure.REPLIED.wire()), delivered));
        return figures;
    }

    /**
     * {@code count / of}, null when {@code of} is 0; at most 1 (an open whose delivery event never came counts as an
     * open, not as a delivery).
     */
    static Double rate(long count, long of) {
        return of == 0 ? null : Math.min(1.0, (double) count / of);
    }
}
