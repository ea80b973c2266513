package dev.mailtrail.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Asks the send-service to send three emails (to delivered@, bounced@, complained@resend.dev; the first with our own
 * open and click tracking), as a CRM service would, and watches their state appear: the send-service sends them
 * through the simulator, whose signed webhooks reach the ingest and come back as state.
 */
public final class Demo {

    public static final List<String> RECIPIENTS =
            List.of("delivered@resend.dev", "bounced@resend.dev", "complained@resend.dev");

    /** One email the send-service accepted, with the status it answered (QUEUED the first time). */
    public record Sent(String activityId, String recipient, String status) {}

    /** What the send-service answered for an activity; status is null while it answers 404. */
    public record Activity(String activityId, String recipient, int httpStatus, String status, String deliveredAt) {}

    private final StackConfig config;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Demo(StackConfig config) {
        this.config = config;
    }

    /** POST /api/crm/emails on the send-service, once per recipient. */
    public List<Sent> send(String runId) throws IOException, InterruptedException {
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < RECIPIENTS.size(); i++) {
            String recipient = RECIPIENTS.get(i);
            String activityId = runId + "-" + (i + 1);
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("activityId", activityId);
            body.put("tenantId", "demo");
            body.put("from", "Mailtrail Demo <demo@mailtrail.dev>");
            body.putArray("to").add(recipient);
            body.put("subject", "mailtrail demo " + (i + 1) + " to " + recipient);
            body.put("html", "<p>Hello from the mailtrail demo. <a href=\"https://mailtrail.dev\">mailtrail</a></p>");
            body.put("text", "Hello from the mailtrail demo.");
            body.putObject("tags").put("source", "demo");
            if (i == 0) {
                body.putObject("tracking").put("opens", true).put("clicks", true);
            }
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.sendUrl() + "/api/crm/emails"))
                    .timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + config.apiToken())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body)))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 202) {
                throw new StackException("send-service answered POST /api/crm/emails with HTTP " + response.statusCode()
                        + ": " + response.body());
            }
            sent.add(new Sent(
                    activityId, recipient, Json.field(response.body(), "status").orElse("?")));
        }
        return sent;
    }

    /** GET /api/crm/activities/{id} on the send-service. */
    public Activity fetch(Sent sent) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(config.sendUrl() + "/api/crm/activities/" + sent.activityId()))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + config.apiToken())
                        .header("Accept", "application/json")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            return new Activity(sent.activityId(), sent.recipient(), response.statusCode(), null, null);
        }
        JsonNode node = Json.parse(response.body()).orElse(Json.MAPPER.createObjectNode());
        return new Activity(
                sent.activityId(),
                sent.recipient(),
                200,
                Json.text(node, "status").orElse(null),
                Json.text(node, "deliveredAt").orElse(null));
    }

    /** Polls until every activity exists and none has changed for a few seconds, or the time is up. */
    public List<Activity> awaitSettled(List<Sent> sent, Duration max, Duration quiet)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        long lastChange = System.nanoTime();
        List<Activity> last = null;
        while (true) {
            List<Activity> now = new ArrayList<>();
            for (Sent s : sent) {
                now.add(fetch(s));
            }
            if (!Objects.equals(now, last)) {
                last = now;
                lastChange = System.nanoTime();
            }
            boolean allKnown = now.stream().allMatch(a -> a.status() != null);
            if (allKnown && System.nanoTime() - lastChange >= quiet.toNanos() || System.nanoTime() > deadline) {
                return now;
            }
            Thread.sleep(500);
        }
    }

    static void printTable(List<Activity> activities, PrintStream out) {
        String format = "  %-22s %-24s %-12s %s%n";
        out.printf(format, "activityId", "recipient", "status", "deliveredAt");
        for (Activity a : activities) {
            String status = a.status() != null
                    ? a.status()
                    : a.httpStatus() == 404 ? "(not found)" : "(HTTP " + a.httpStatus() + ")";
            out.printf(format, a.activityId(), a.recipient(), status, a.deliveredAt() == null ? "-" : a.deliveredAt());
        }
    }

    /** ./mailtrail demo */
    static int run(StackConfig config, PrintStream out) throws IOException, InterruptedException {
        for (Component service : Component.services()) {
            String health = Health.of(config.healthUrl(service));
            if (!Health.UP.equals(health)) {
                out.println(
                        "no running stack: " + service + " at " + config.healthUrl(service) + " answered: " + health);
                out.println("start one with ./mailtrail up (in another terminal)");
                return 1;
            }
        }
        Demo demo = new Demo(config);
        String runId = "demo-" + System.currentTimeMillis() / 1000;
        out.println(
                "asking the send-service for 3 emails (" + config.sendUrl() + "/api/crm/emails; the first tracked):");
        List<Sent> sent = demo.send(runId);
        for (Sent s : sent) {
            out.printf("  %-22s -> %-24s %s%n", s.activityId(), s.recipient(), s.status());
        }
        out.println(
                "waiting for their state in the send-service (" + config.sendUrl() + "/api/crm/activities/{id}) ...");
        List<Activity> result = demo.awaitSettled(sent, Duration.ofSeconds(20), Duration.ofSeconds(3));
        printTable(result, out);
        return 0;
    }
}
