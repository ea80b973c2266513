package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.PoisonVerdicts.Evidence;
import dev.mailtrail.bench.PoisonVerdicts.StoredEvent;
import dev.mailtrail.bench.Probe.Channel;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads what became of the poison drill's probes: from PostgreSQL what was stored, from Kafka what was dead-lettered. */
final class PoisonEvidence {

    private static final String EVENTS = "SELECT e.event_id, split_part(e.activity_key, ':', 2), e.occurred_at, "
            + "e.payload::text, s.subject, s.recipient, ARRAY(SELECT l->>'url' FROM jsonb_array_elements(s.links) l) "
            + "FROM activity_event e LEFT JOIN activity_state s ON s.tenant_id || ':' || s.activity_id = e.activity_key "
            + "WHERE e.event_id = ANY(?) OR split_part(e.activity_key, ':', 2) = ANY(?)";

    private PoisonEvidence() {}

    static Evidence read(
            Target target,
            Kafka kafka,
            List<Probe> probes,
            Map<Probe, Answer> answers,
            Set<Probe> acknowledged,
            Instant sentFrom)
            throws SQLException {
        Set<String> eventIds = ids(probes, Channel.WEBHOOK, Channel.EVENT_KAFKA);
        Set<String> tracked = ids(probes, Channel.TRACKING);
        Set<String> sends = ids(probes, Channel.SEND_HTTP, Channel.SEND_KAFKA);
        Map<String, StoredEvent> byEvent = new HashMap<>();
        Map<String, List<StoredEvent>> byActivity = new HashMap<>();
        Set<String> sendRequests = new HashSet<>();
        try (Connection c = target.jdbc()) {
            try (PreparedStatement ps = c.prepareStatement(EVENTS)) {
                ps.setArray(1, Applied.array(c, eventIds));
                ps.setArray(2, Applied.array(c, tracked));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        StoredEvent e = new StoredEvent(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getTimestamp(3).toInstant(),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                List.of((String[]) rs.getArray(7).getArray()));
                        byEvent.put(e.eventId(), e);
                        byActivity
                                .computeIfAbsent(e.activityId(), k -> new ArrayList<>())
                                .add(e);
                    }
                }
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT activity_id FROM send_request WHERE activity_id = ANY(?)")) {
                ps.setArray(1, Applied.array(c, sends));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        sendRequests.add(rs.getString(1));
                    }
                }
            }
        }
        Map<String, Map<String, String>> deadLetters = new HashMap<>();
        for (Channel channel : Channel.values()) {
            if (channel.deadLetterTopic != null) {
                deadLetters.put(channel.deadLetterTopic, kafka.deadLetters(channel.deadLetterTopic));
            }
        }
        return new Evidence(
                answers, acknowledged, byEvent, byActivity, sendRequests, deadLetters, sentFrom, Instant.now());
    }

    private static Set<String> ids(List<Probe> probes, Channel... channels) {
        Set<String> ids = new HashSet<>();
        for (Probe p : probes) {
            if (List.of(channels).contains(p.channel())) {
                ids.add(p.id());
            }
        }
        return ids;
    }
}
