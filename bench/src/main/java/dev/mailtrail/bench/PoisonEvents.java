package dev.mailtrail.bench;

import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.bench.Probe.Expect;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.node.ObjectNode;

/**
 * EmailEvents written straight to crm.email.events by a rogue producer, past every edge: healthy ones applied,
 * poison ones (text PostgreSQL cannot store, unreadable JSON, a schema version we do not know) dead-lettered to
 * crm.email.events-dlt with the reason, the partition moving on.
 */
final class PoisonEvents {

    /** One way an EmailEvent on the topic is poison. */
    record Fault(String kind, EmailEventType type, Consumer<ObjectNode> edit) {}

    private static final String NUL = PoisonSends.NUL;

    static final List<Fault> FAULTS = List.of(
            new Fault("NUL in subject", EmailEventType.DELIVERED, e -> e.put("subject", "Your" + NUL + "proposal")),
            new Fault(
                    "NUL in recipient",
                    EmailEventType.DELIVERED,
                    e -> e.putArray("recipients").add("deliv" + NUL + "ered@resend.dev")),
            new Fault(
                    "NUL in tag value",
                    EmailEventType.DELIVERED,
                    e -> ((ObjectNode) e.get("tags")).put("campaign", "dri" + NUL + "ll")),
            new Fault(
                    "NUL in click url",
                    EmailEventType.CLICKED,
                    e -> ((ObjectNode) e.get("click")).put("url", "https://acme.test/" + NUL)),
            new Fault(
                    "NUL in user agent",
                    EmailEventType.CLICKED,
                    e -> ((ObjectNode) e.get("client")).put("userAgent", "Mozilla/5.0" + NUL)),
            new Fault(
                    "NUL in bounce message",
                    EmailEventType.BOUNCED,
                    e -> ((ObjectNode) e.get("bounce")).put("message", "No such user" + NUL)),
            new Fault(
                    "unknown schemaVersion",
                    EmailEventType.DELIVERED,
                    e -> e.put("schemaVersion", EmailEvent.SCHEMA_VERSION + 1)));

    /** Bytes no reader takes for an EmailEvent. */
    static final List<byte[]> UNREADABLE = List.of(
            "{\"schemaVersion\":1,\"eventId\":".getBytes(StandardCharsets.UTF_8), new byte[] {0, (byte) 0xff, 'x'});

    private PoisonEvents() {}

    /** The healthy events as the ingest would publish them, then every fault and every unreadable value once. */
    static List<Probe> probes(List<EmailEvent> healthy, Webhooks ids) {
        List<Probe> probes = new ArrayList<>();
        for (EmailEvent e : healthy) {
            probes.add(Probe.kafka(
                    Channel.EVENT_KAFKA,
                    Probe.HEALTHY,
                    Expect.APPLIED,
                    e.eventId(),
                    null,
                    record(e.partitionKey(), WireJson.write(e))));
        }
        Instant now = Instant.now();
        for (int i = 0; i < FAULTS.size(); i++) {
            Fault fault = FAULTS.get(i);
            String activityId = ids.activityId("pep", i);
            EmailEvent event = Events.event("rogue:" + activityId, fault.type(), now.minusSeconds(60), now, activityId);
            String json = JsonEdit.edit(new String(WireJson.write(event), StandardCharsets.UTF_8), fault.edit());
            probes.add(Probe.kafka(
                    Channel.EVENT_KAFKA,
                    fault.kind(),
                    Expect.DEAD_LETTERED,
                    event.eventId(),
                    null,
                    record(activityId, json.getBytes(StandardCharsets.UTF_8))));
        }
        for (int i = 0; i < UNREADABLE.size(); i++) {
            String activityId = ids.activityId("pep", FAULTS.size() + i);
            probes.add(Probe.kafka(
                    Channel.EVENT_KAFKA,
                    i == 0 ? "truncated JSON" : "not JSON",
                    Expect.DEAD_LETTERED,
                    "rogue:" + activityId,
                    null,
                    record(activityId, UNREADABLE.get(i))));
        }
        return probes;
    }

    private static ProducerRecord<String, byte[]> record(String key, byte[] value) {
        return new ProducerRecord<>(Topics.EVENTS, key, value);
    }
}
