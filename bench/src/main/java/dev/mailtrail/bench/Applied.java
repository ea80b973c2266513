package dev.mailtrail.bench;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Applied exactly once", read from PostgreSQL: activity_event holds one row per distinct eventId, and each
 * activity's open and click counts equal the distinct opens and clicks that were sent for it.
 */
final class Applied {

    /** What an activity should show: distinct events, opens and clicks (human, unknown and machine together). */
    static final class Expected {
        long events;
        long opens;
        long clicks;
    }

    /**
     * @param projected     expected eventIds found in activity_event
     * @param lost          acknowledged eventIds that are not there
     * @param doubleApplied counts above what was sent, plus rows per activity above its distinct events
     * @param countsBelow   open/click counts below what was sent (an event recorded but not counted)
     */
    record Check(long projected, long lost, long doubleApplied, long countsBelow, List<String> problems) {}

    private Applied() {}

    /** Expectations per activity from the distinct (activityId, type, eventId) triples that were sent. */
    static Map<String, Expected> expected(Collection<String[]> activityTypeEventId) {
        Map<String, Expected> expected = new HashMap<>();
        for (String[] t : activityTypeEventId) {
            Expected e = expected.computeIfAbsent(t[0], k -> new Expected());
            e.events++;
            if (t[1].endsWith("opened")) {
                e.opens++;
            } else if (t[1].endsWith("clicked")) {
                e.clicks++;
            }
        }
        return expected;
    }

    /**
     * @param eventIds     every distinct eventId sent
     * @param acknowledged the eventIds the sender was told are stored (2xx, or Kafka's ack)
     */
    static Check check(Connection c, Set<String> eventIds, Set<String> acknowledged, Map<String, Expected> expected)
            throws SQLException {
        List<String> problems = new ArrayList<>();
        Set<String> found = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT event_id FROM activity_event WHERE event_id = ANY(?)")) {
            ps.setArray(1, array(c, eventIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        }
        long lost = 0;
        for (String id : acknowledged) {
            if (!found.contains(id)) {
                lost++;
                if (lost <= 5) {
                    problems.add("acknowledged but not applied: " + id);
                }
            }
        }
        long doubleApplied = 0;
        long countsBelow = 0;
        Map<String, long[]> actual = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.activity_id, s.open_count + s.machine_open_count, "
                + "s.click_count + s.machine_click_count, (SELECT count(*) FROM activity_event e WHERE e.activity_key = s.tenant_id || ':' || s.activity_id) "
                + "FROM activity_state s WHERE s.activity_id = ANY(?)")) {
            ps.setArray(1, array(c, expected.keySet()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    actual.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        for (Map.Entry<String, Expected> e : expected.entrySet()) {
            long[] a = actual.getOrDefault(e.getKey(), new long[3]);
            Expected x = e.getValue();
            long over = Math.max(0, a[0] - x.opens) + Math.max(0, a[1] - x.clicks) + Math.max(0, a[2] - x.events);
            long under = Math.max(0, x.opens - a[0]) + Math.max(0, x.clicks - a[1]);
            doubleApplied += over;
            countsBelow += under;
            if ((over > 0 || under > 0) && problems.size() < 10) {
                problems.add(e.getKey() + ": opens " + a[0] + "/" + x.opens + ", clicks " + a[1] + "/" + x.clicks
                        + ", events " + a[2] + "/" + x.events);
            }
        }
        return new Check(found.size(), lost, doubleApplied, countsBelow, problems);
    }

    static Array array(Connection c, Collection<String> values) throws SQLException {
        return c.createArrayOf("text", values.toArray());
    }
}
