package dev.mailtrail.bench;

import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.bench.Probe.Expect;
import dev.mailtrail.events.SendEmailCommand;
import dev.mailtrail.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import tools.jackson.databind.node.ObjectNode;

/**
 * Send requests, healthy and poison, each once over {@code POST /api/crm/emails} and once as a SendEmailCommand on
 * crm.email.send-commands: a caller's mistakes, refused with 400 naming the field, or dead-lettered with the reason.
 */
final class PoisonSends {

    /** One way a send request is wrong, and the field a refusal must name. */
    record Fault(String kind, String field, Consumer<ObjectNode> edit) {}

    static final String NUL = "\u0000";
    private static final List<Integer> ACCEPTED = List.of(202);
    private static final List<Integer> REFUSED = List.of(400);

    static final List<Fault> FAULTS = List.of(
            new Fault("NUL in subject", "subject", b -> b.put("subject", "Hi" + NUL + "there")),
            new Fault("ESC in subject", "subject", b -> b.put("subject", "Hi\u001b[31mthere")),
            new Fault("lone surrogate in subject", "subject", b -> b.put("subject", "Hi " + JsonEdit.LONE_SURROGATE)),
            new Fault("subject of 999", "subject", b -> b.put("subject", "s".repeat(999))),
            new Fault("NUL in from", "from", b -> b.put("from", "Acme" + NUL + " <sales@acme.test>")),
            new Fault("from of 321", "from", b -> b.put("from", address(321, "@acme.test"))),
            new Fault("NUL in to", "to", b -> b.putArray("to").add("deliv" + NUL + "ered@resend.dev")),
            new Fault("to of 321", "to", b -> b.putArray("to").add(address(321, "@resend.dev"))),
            new Fault("NUL in html", "html", b -> b.put("html", "<p>Hi" + NUL + "</p>")),
            new Fault("NUL in text", "text", b -> b.put("text", "Hi" + NUL)),
            new Fault("NUL in tag value", "tags", b -> b.putObject("tags").put("campaign", "dri" + NUL + "ll")),
            new Fault("NUL in tag name", "tags", b -> b.putObject("tags").put("camp" + NUL + "aign", "drill")),
            new Fault("tag value of 257", "tags", b -> b.putObject("tags").put("campaign", "v".repeat(257))),
            new Fault("space in tag name", "tags", b -> b.putObject("tags").put("has space", "drill")));

    private final Webhooks ids;
    private final String apiToken;

    PoisonSends(Webhooks ids, String apiToken) {
        this.ids = ids;
        this.apiToken = apiToken;
    }

    /** {@code healthy} healthy requests per entry (with tab, CR and LF in the text, which pass), and every fault. */
    List<Probe> probes(int healthy) {
        List<Probe> probes = new ArrayList<>();
        for (int i = 0; i < healthy; i++) {
            String http = ids.activityId("psh", i);
            probes.add(Probe.http(
                    Channel.SEND_HTTP,
                    Probe.HEALTHY,
                    Expect.APPLIED,
                    http,
                    null,
                    ACCEPTED,
                    SendBench.request(healthy(http), apiToken)));
            String kafka = ids.activityId("psk", i);
            probes.add(Probe.kafka(
                    Channel.SEND_KAFKA,
                    Probe.HEALTHY,
                    Expect.APPLIED,
                    kafka,
                    null,
                    record(kafka, JsonEdit.write(withSchemaVersion(healthy(kafka))))));
        }
        for (int i = 0; i < FAULTS.size(); i++) {
            Fault fault = FAULTS.get(i);
            String http = ids.activityId("psp", i);
            ObjectNode body = healthy(http);
            fault.edit().accept(body);
            probes.add(Probe.http(
                    Channel.SEND_HTTP,
                    fault.kind(),
                    Expect.REFUSED,
                    http,
                    fault.field(),
                    REFUSED,
                    SendBench.request(JsonEdit.write(body).getBytes(StandardCharsets.UTF_8), apiToken)));
            String kafka = ids.activityId("pkp", i);
            ObjectNode value = withSchemaVersion(healthy(kafka));
            fault.edit().accept(value);
            probes.add(Probe.kafka(
                    Channel.SEND_KAFKA,
                    fault.kind(),
                    Expect.DEAD_LETTERED,
                    kafka,
                    fault.field(),
                    record(kafka, JsonEdit.write(value))));
        }
        String unreadable = ids.activityId("pkp", FAULTS.size());
        probes.add(Probe.kafka(
                Channel.SEND_KAFKA,
                "not JSON",
                Expect.DEAD_LETTERED,
                unreadable,
                "body",
                record(unreadable, "{\"schemaVersion\":1,\"activityId\":")));
        String future = ids.activityId("pkp", FAULTS.size() + 1);
        ObjectNode v2 = withSchemaVersion(healthy(future));
        v2.put("schemaVersion", SendEmailCommand.SCHEMA_VERSION + 1);
        probes.add(Probe.kafka(
                Channel.SEND_KAFKA,
                "schemaVersion 2",
                Expect.DEAD_LETTERED,
                future,
                "schemaVersion",
                record(future, JsonEdit.write(v2))));
        return probes;
    }

    /** An address of exactly {@code length} characters in that domain. */
    static String address(int length, String domain) {
        return "a".repeat(length - domain.length()) + domain;
    }

    private static ObjectNode healthy(String activityId) {
        ObjectNode body = SendBench.body(activityId);
        body.put("subject", "mailtrail poison drill");
        body.put("text", "Hello,\r\n\tthe poison drill.\n");
        body.putObject("tags").put("campaign", "poison-drill");
        return body;
    }

    private static ObjectNode withSchemaVersion(ObjectNode body) {
        body.put("schemaVersion", SendEmailCommand.SCHEMA_VERSION);
        return body;
    }

    private static ProducerRecord<String, byte[]> record(String activityId, String json) {
        return new ProducerRecord<>(Topics.SEND_COMMANDS, activityId, json.getBytes(StandardCharsets.UTF_8));
    }
}
