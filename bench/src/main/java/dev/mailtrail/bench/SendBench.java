package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.events.WireJson;
import io.netty.handler.codec.http.HttpMethod;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Send commands in (POST /api/crm/emails) → emails accepted by the simulator, with its rate limit off and at
 * 2 API requests/s (the limit applies to requests, so a batching send path may pass more emails). While the send
 * path does not exist (404/405) the figures are null with a note.
 */
final class SendBench {

    static final String TENANT = Webhooks.TENANT + "-send";

    static final String PATH = "/api/crm/emails";
    static final int LIMIT = 2;

    private final Target target;
    private final String runTag;
    private final PrintStream out;

    SendBench(Target target, String runTag, PrintStream out) {
        this.target = target;
        this.runTag = runTag;
        this.out = out;
    }

    void run(Report report, int emails) throws InterruptedException {
        report.put("send_per_s", null);
        report.put("send_per_s_limited", null);
        report.put("send_rate_limit", LIMIT);
        try (HttpLoad api = new HttpLoad(target.config().sendUrl(), 8, "send-api");
                HttpLoad simulator = new HttpLoad(target.config().simulatorUrl(), 2, "simulator")) {
            Answer probe = api.sendAndWait(command(runTag + "-s-probe"));
            if (probe.status() == 404 || probe.status() == 405) {
                out.println("send: POST " + PATH + " answered " + probe.status() + ": send path not available");
                report.note("send path not available (POST " + PATH + " answered " + probe.status() + ")");
                return;
            }
            if (!probe.ok()) {
                out.println("send: POST " + PATH + " answered " + probe.status() + ": " + abbreviate(probe.text()));
                report.note(
                        "send path answered " + probe.status() + " to a valid command: " + abbreviate(probe.text()));
                return;
            }
            JsonNode before = WireJson.mapper()
                    .readTree(simulator
                            .sendAndWait(Request.get("/_simulator/settings", Map.of()))
                            .body());
            int originalLimit = before.path("rate_limit").asInt(0);
            try {
                Double unlimited = measure(api, simulator, "u", emails, 0, Duration.ofSeconds(120), report);
                report.put("send_per_s", Stats.round(unlimited, 2));
                Double limited = measure(api, simulator, "l", emails, LIMIT, Duration.ofSeconds(120), report);
                report.put("send_per_s_limited", Stats.round(limited, 2));
                report.put("send_emails", emails);
                report.note("send: the simulator's limit counts API requests (" + LIMIT + "/s); the send path "
                        + "batches (POST /emails/batch), so more emails than that get through");
            } finally {
                settings(simulator, originalLimit);
            }
        }
    }

    /**
     * Emails per second from the first command to the last email the simulator accepted (its id stored on the
     * request: send_request.provider_message_id); null if not all were accepted in time. Also records the API
     * calls they took (distinct dispatches) under send_calls_&lt;scope&gt;.
     */
    private Double measure(
            HttpLoad api, HttpLoad simulator, String scope, int count, int rateLimit, Duration max, Report report)
            throws InterruptedException {
        settings(simulator, rateLimit);
        String prefix = runTag + "-s" + scope + "-";
        List<Request> commands =
                IntStream.range(0, count).mapToObj(i -> command(prefix + i)).toList();
        long t0 = System.nanoTime();
        HttpLoad.Run run = api.run(commands, api::send, 8, null);
        long deadline = t0 + max.toNanos();
        long accepted = 0;
        long calls = 0;
        try (Connection c = target.jdbc()) {
            while (System.nanoTime() < deadline) {
                accepted = ProjectionBench.count(
                        c,
                        "SELECT count(*) FROM send_request WHERE activity_id LIKE ?"
                                + " AND provider_message_id IS NOT NULL",
                        prefix + "%");
                if (accepted >= count) {
                    break;
                }
                Thread.sleep(100);
            }
            calls = ProjectionBench.count(
                    c,
                    "SELECT count(DISTINCT dispatch_key) FROM send_request"
                            + " WHERE activity_id LIKE ? AND provider_message_id IS NOT NULL",
                    prefix + "%");
        } catch (SQLException e) {
            report.note("send: PostgreSQL not readable: " + e.getMessage());
            return null;
        }
        long elapsed = System.nanoTime() - t0;
        double perSecond = Stats.perSecond(accepted, elapsed);
        String key = rateLimit == 0 ? "send_calls" : "send_calls_limited";
        report.put(key, calls);
        out.printf(
                Locale.ROOT,
                "  send, rate limit %-11s %,d commands (%s), %,d emails accepted by the simulator in"
                        + " %.1f s over %,d API calls: %.2f/s%n",
                rateLimit == 0 ? "off" : rateLimit + "/s",
                count,
                run.byStatus(),
                accepted,
                elapsed / 1e9,
                calls,
                perSecond);
        return accepted >= count ? perSecond : null;
    }

    private static void settings(HttpLoad simulator, int rateLimit) {
        settings(simulator, "{\"rate_limit\":" + rateLimit + "}");
    }

    /** PUT /_simulator/settings with these fields (the others keep their values). */
    static void settings(HttpLoad simulator, String json) {
        Answer answer = simulator.sendAndWait(new Request(
                HttpMethod.PUT,
                "/_simulator/settings",
                Map.of("Content-Type", "application/json"),
                json.getBytes(StandardCharsets.UTF_8),
                false));
        if (!answer.ok()) {
            throw new IllegalStateException(
                    "simulator refused settings " + json + ": " + answer.status() + " " + answer.text());
        }
    }

    private Request command(String activityId) {
        return request(body(activityId), target.config().apiToken());
    }

    /** A valid send request's body (also a SendEmailCommand's, without its schemaVersion). */
    static ObjectNode body(String activityId) {
        ObjectNode body = WireJson.mapper().createObjectNode();
        body.put("activityId", activityId);
        // a tenant of its own: the earlier phases' bounces and complaints put delivered@resend.dev on the bench
        // tenant's suppression list, which would drop every email here before a call to the simulator
        body.put("tenantId", TENANT);
        body.put("from", "Acme <sales@acme.test>");
        body.putArray("to").add("delivered@resend.dev");
        body.put("subject", "mailtrail bench " + activityId);
        body.put("html", "<p>Hello from the bench. <a href=\"https://acme.test/pricing\">Pricing</a></p>");
        return body;
    }

    /** POST /api/crm/emails of these bytes. */
    static Request request(byte[] body, String apiToken) {
        return Request.post(
                PATH, Map.of("Content-Type", "application/json", "Authorization", "Bearer " + apiToken), body);
    }

    static Request request(ObjectNode body, String apiToken) {
        return request(WireJson.write(body), apiToken);
    }

    static String abbreviate(String s) {
        String line = s.replaceAll("\\s+", " ");
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
