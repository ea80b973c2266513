package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.bench.Probe.Expect;
import dev.mailtrail.bench.Webhooks.Webhook;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signed Resend webhooks, healthy and poison. A provider's odd text is never refused (Resend would only retry the
 * same bytes): accepted and applied with the text made safe, an impossible time replaced by the time received. Only
 * ids too long to be Resend's are refused, with 400 naming them.
 */
final class PoisonWebhooks {

    /** One odd webhook: its type, what is odd in its body, and whether its created_at is out of range. */
    record Fault(String kind, String type, Consumer<ObjectNode> edit, boolean receivedTime) {}

    private static final String NUL = PoisonSends.NUL;
    private static final List<Integer> ACCEPTED = List.of(200, 202);
    private static final List<Integer> REFUSED = List.of(400);

    static final List<Fault> CLEANED = List.of(
            data("NUL in subject", "email.delivered", d -> d.put("subject", "Your" + NUL + "proposal")),
            data("BEL in subject", "email.delivered", d -> d.put("subject", "Your\u0007proposal")),
            data(
                    "lone surrogate in subject",
                    "email.delivered",
                    d -> d.put("subject", "Your " + JsonEdit.LONE_SURROGATE)),
            data("subject of 5,000", "email.delivered", d -> d.put("subject", "s".repeat(5_000))),
            data("NUL in recipient", "email.delivered", d -> d.putArray("to").add("deliv" + NUL + "ered@resend.dev")),
            data(
                    "recipient of 1,000",
                    "email.delivered",
                    d -> d.putArray("to").add(PoisonSends.address(1_000, "@resend.dev"))),
            data("NUL in tag value", "email.delivered", d -> tag(d, "campaign", "dri" + NUL + "ll")),
            data(
                    "NUL in click link",
                    "email.clicked",
                    d -> click(d).put("link", "https://acme.test/" + NUL + "pricing")),
            data(
                    "lone surrogate in click link",
                    "email.clicked",
                    d -> click(d).put("link", "https://acme.test/" + JsonEdit.LONE_SURROGATE)),
            data(
                    "click link of 10 KiB",
                    "email.clicked",
                    d -> click(d).put("link", "https://acme.test/?q=" + "x".repeat(10_240))),
            data("NUL in click user agent", "email.clicked", d -> click(d).put("userAgent", "Mozilla/5.0" + NUL)),
            data("click user agent of 5,000", "email.clicked", d -> click(d).put("userAgent", "M".repeat(5_000))),
            data("NUL in bounce message", "email.bounced", d -> bounce(d).put("message", "No such user" + NUL)),
            data("bounce message of 5,000", "email.bounced", d -> bounce(d).put("message", "m".repeat(5_000))),
            createdAt("created_at year 0001", "0001-01-01T00:00:00.000Z"),
            createdAt("created_at year +99999", "+99999-01-01T00:00:00.000Z"),
            createdAt("created_at year 99999", "99999-01-01T00:00:00.000Z"));

    private final Webhooks webhooks;

    PoisonWebhooks(Webhooks webhooks) {
        this.webhooks = webhooks;
    }

    /** The healthy webhooks, every fault once (each its own activity), and the two over-long ids. */
    List<Probe> probes(List<Webhook> healthy) {
        List<Probe> probes = new ArrayList<>();
        for (Webhook w : healthy) {
            probes.add(Probe.http(
                    Channel.WEBHOOK,
                    Probe.HEALTHY,
                    Expect.APPLIED,
                    w.eventId(),
                    null,
                    ACCEPTED,
                    webhooks.request(IngestBench.INGEST, w)));
        }
        for (int i = 0; i < CLEANED.size(); i++) {
            Fault fault = CLEANED.get(i);
            String svixId = webhooks.nextSvixId();
            String body = JsonEdit.edit(body(fault.type(), "pwc", i), fault.edit());
            Probe probe = Probe.http(
                    Channel.WEBHOOK,
                    fault.kind(),
                    Expect.CLEANED,
                    "resend:" + svixId,
                    null,
                    ACCEPTED,
                    signed(svixId, body));
            probes.add(fault.receivedTime() ? probe.atReceivedTime() : probe);
        }
        String ordinary = webhooks.nextSvixId() + "_";
        String longSvixId = ordinary + "x".repeat(129 - ordinary.length());
        probes.add(Probe.http(
                Channel.WEBHOOK,
                "svix-id of 129",
                Expect.REFUSED,
                "resend:" + longSvixId,
                "svix-id",
                REFUSED,
                signed(longSvixId, body("email.delivered", "pwr", 0))));
        String svixId = webhooks.nextSvixId();
        String longEmailId = JsonEdit.edit(
                body("email.delivered", "pwr", 1),
                root -> ((ObjectNode) root.get("data")).put("email_id", "em-" + "x".repeat(126)));
        probes.add(Probe.http(
                Channel.WEBHOOK,
                "email_id of 129",
                Expect.REFUSED,
                "resend:" + svixId,
                "email_id",
                REFUSED,
                signed(svixId, longEmailId)));
        return probes;
    }

    private String body(String type, String scope, int index) {
        return webhooks.body(
                type, webhooks.activityId(scope, index), Instant.now().minusSeconds(60));
    }

    private Request signed(String svixId, String body) {
        return Request.post(
                IngestBench.INGEST,
                webhooks.signedHeaders(svixId, body, Instant.now().getEpochSecond()),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static Fault data(String kind, String type, Consumer<ObjectNode> edit) {
        return new Fault(kind, type, root -> edit.accept((ObjectNode) root.get("data")), false);
    }

    private static Fault createdAt(String kind, String timestamp) {
        return new Fault(kind, "email.delivered", root -> root.put("created_at", timestamp), true);
    }

    private static ObjectNode click(ObjectNode data) {
        return (ObjectNode) data.get("click");
    }

    private static ObjectNode bounce(ObjectNode data) {
        return (ObjectNode) data.get("bounce");
    }

    /** Resend spells tags as [{name, value}], its documentation as an object: the fixture decides. */
    private static void tag(ObjectNode data, String name, String value) {
        JsonNode tags = data.get("tags");
        if (tags instanceof ArrayNode array) {
            array.addObject().put("name", name).put("value", value);
        } else {
            ((ObjectNode) tags).put(name, value);
        }
    }
}
