package dev.mailtrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.svix.Webhook;
import dev.mailtrail.localstack.deploy.MetricNamesInDeployment;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * Starts the real local stack (embedded PostgreSQL, a Kafka broker process, the three service jars)
 * on free ports in a temporary state directory and drives it over HTTP like a user would.
 * Runs in {@code verify}, after the services' modules were packaged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackIntegrationTests {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Path home;
    private StackConfig config;
    private Stack stack;

    @BeforeAll
    void startStack() throws IOException {
        home = Files.createTempDirectory("mailtrail-local-stack-it");
        int[] ports = freePorts(8);
        Map<String, String> env = new HashMap<>(System.getenv());
        // The stack must be self-contained here, whatever the developer's shell exports.
        List.of(
                        "MAILTRAIL_DB_HOST",
                        "SPRING_KAFKA_BOOTSTRAP_SERVERS",
                        "MAILTRAIL_API_TOKENS",
                        "MAILTRAIL_RESEND_WEBHOOK_SECRETS",
                        "MAILTRAIL_RESEND_API_KEY",
                        "MAILTRAIL_RESEND_BASE_URL",
                        "MAILTRAIL_SIMULATOR_WEBHOOK_URL",
                        "MAILTRAIL_TRACKING_BASE_URL")
                .forEach(env::remove);
        env.put("MAILTRAIL_HOME", home.toString());
        env.put("MAILTRAIL_DB_PORT", Integer.toString(ports[0]));
        env.put("MAILTRAIL_KAFKA_PORT", Integer.toString(ports[1]));
        env.put("MAILTRAIL_KAFKA_CONTROLLER_PORT", Integer.toString(ports[2]));
        env.put("MAILTRAIL_SIMULATOR_PORT", Integer.toString(ports[3]));
        env.put("MAILTRAIL_INGEST_PORT", Integer.toString(ports[4]));
        env.put("MAILTRAIL_INGEST_MANAGEMENT_PORT", Integer.toString(ports[5]));
        env.put("MAILTRAIL_SEND_PORT", Integer.toString(ports[6]));
        env.put("MAILTRAIL_SEND_MANAGEMENT_PORT", Integer.toString(ports[7]));
        config = StackConfig.fromEnvironment(env, LocalStack.repoRoot(), false);

        assertThat(config.missingJars())
                .as(
                        "service exec jars must be built before this test (it runs in verify, after the services' modules are packaged)")
                .isEmpty();
        stack = Stack.start(config, System.out);
        System.out.printf("local stack ready in %.1f s%n", stack.readyIn().toMillis() / 1000.0);
    }

    @AfterAll
    void stopStack() throws IOException {
        if (stack == null) {
            // start-up failed; Stack.start already stopped whatever it had started
            if (home != null) {
                KafkaBroker.deleteRecursively(home);
            }
            return;
        }
        List<ProcessHandle> processes = stack.processes();
        stack.close();
        assertThat(processes).as("processes the stack started").isNotEmpty();
        assertThat(processes)
                .allSatisfy(p -> assertThat(p.isAlive())
                        .as("pid %d alive after close", p.pid())
                        .isFalse());
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> config.portsToBind()
                        .forEach((name, port) -> assertThat(Ports.isFree(port))
                                .as("port %d (%s) free after close", port, name)
                                .isTrue()));
        assertThat(config.pidFile()).doesNotExist();
        KafkaBroker.deleteRecursively(home);
    }

    @Test
    @Order(1)
    void everyComponentReportsUp() {
        for (Component service : Component.services()) {
            assertThat(Health.of(config.healthUrl(service))).as(service.id()).isEqualTo(Health.UP);
        }
        assertThat(KafkaBroker.answers("127.0.0.1", config.kafkaPort())).isTrue();
    }

    @Test
    @Order(2)
    void aSignedDeliveredWebhookBecomesADeliveredActivity() throws Exception {
        String activityId =
                "slice-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String payload = deliveredWebhook(activityId);
        HttpResponse<String> response = postWebhook(payload, sign(payload));
        assertThat(response.statusCode())
                .as("ingest answer: %s", response.body())
                .isBetween(200, 299);

        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    HttpResponse<String> activity = getActivity(activityId);
                    assertThat(activity.statusCode()).as(activity.body()).isEqualTo(200);
                    JsonNode node = Json.parse(activity.body()).orElseThrow();
                    assertThat(Json.text(node, "status")).contains("DELIVERED");
                    assertThat(Json.text(node, "deliveredAt")).isPresent();
                });
    }

    @Test
    @Order(3)
    void aBadlySignedWebhookIsRejectedWithProblemJson() throws Exception {
        String payload = deliveredWebhook("slice-forged");
        String msgId = "msg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 27);
        HttpResponse<String> response = postWebhook(payload, new String[] {
            msgId, Long.toString(Instant.now().getEpochSecond()), "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
        });

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    }

    @Test
    @Order(4)
    void theDemoFlowThroughTheSimulatorReachesTheSendService() throws Exception {
        Demo demo = new Demo(config);
        List<Demo.Sent> sent = demo.send("it-" + UUID.randomUUID().toString().substring(0, 8));
        assertThat(sent).extracting(Demo.Sent::recipient).containsExactlyElementsOf(Demo.RECIPIENTS);

        // The simulator answers each test address the way Resend does; the ranks come from DESIGN
        // (COMPLAINED outranks DELIVERED, a bounce is never delivered).
        List<String> expected = List.of("DELIVERED", "BOUNCED", "COMPLAINED");
        for (int i = 0; i < sent.size(); i++) {
            Demo.Sent email = sent.get(i);
            String status = expected.get(i);
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300))
                    .untilAsserted(() -> assertThat(demo.fetch(email).status())
                            .as(email.recipient())
                            .isEqualTo(status));
        }
        assertThat(demo.fetch(sent.get(0)).deliveredAt()).isNotNull();
        assertThat(demo.fetch(sent.get(1)).deliveredAt()).isNull();
    }

    @Test
    @Order(5)
    void aKilledBrokerStartsAgainOnItsDataAndWebhooksFlowAgain() throws Exception {
        long killed = stack.pid(Component.KAFKA).orElseThrow();
        stack.stop(Component.KAFKA, true);
        assertThat(KafkaBroker.answers("127.0.0.1", config.kafkaPort())).isFalse();

        stack.start(Component.KAFKA);
        assertThat(stack.pid(Component.KAFKA)).isPresent().get().isNotEqualTo(killed);

        String activityId =
                "restart-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String payload = deliveredWebhook(activityId);
        // the ingest's producer reconnects on its own; until then it answers 503, as Resend would be told
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(
                        () -> assertThat(postWebhook(payload, sign(payload)).statusCode())
                                .isBetween(200, 299));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(
                        () -> assertThat(getActivity(activityId).statusCode()).isEqualTo(200));
    }

    @Test
    @Order(6)
    void ownTrackingTellsApplePrefetchesAndScannersFromPeople() throws Exception {
        String clicked =
                "track-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String prefetched =
                "track-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String tenant = "e2e-" + clicked.substring(6, 12);
        TrackedEmail mail = sendTracked(clicked, tenant);
        TrackedEmail apple = sendTracked(prefetched, tenant);
        // context rules treat hits right after delivery as scanners: act like people who read later
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Instant.now().isAfter(mail.deliveredAt().plusSeconds(3))
                        && Instant.now().isAfter(apple.deliveredAt().plusSeconds(3)));

        assertThat(hit(mail.pixel(), "Mozilla/5.0").statusCode()).isEqualTo(200); // Apple Mail Privacy Protection
        assertThat(hit(mail.pixel(), GMAIL_PROXY).statusCode()).isEqualTo(200); // a person, through Gmail
        assertThat(hit(mail.link(), "curl/8.5.0").statusCode()).isEqualTo(302); // a link scanner
        HttpResponse<String> person = hit(mail.link(), SAFARI);
        assertThat(hit(apple.pixel(), "Mozilla/5.0").statusCode()).isEqualTo(200);

        assertThat(person.statusCode()).isEqualTo(302);
        assertThat(person.headers().firstValue("location")).contains("https://acme.test/pricing");
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    JsonNode state = json(getActivity(clicked).body());
                    assertThat(state.get("openCount").asLong()).isEqualTo(1);
                    assertThat(state.get("machineOpenCount").asLong()).isEqualTo(1);
                    assertThat(state.get("clickCount").asLong()).isEqualTo(1);
                    assertThat(state.get("machineClickCount").asLong()).isEqualTo(1);
                    assertThat(state.at("/badge/label").asString()).isEqualTo("Clicked");
                    assertThat(state.get("links").toString())
                            .isEqualTo("[{\"url\":\"https://acme.test/pricing\",\"clicks\":1,\"machineClicks\":1}]");
                    JsonNode prefetch = json(getActivity(prefetched).body());
                    assertThat(prefetch.get("machineOpenCount").asLong()).isEqualTo(1);
                    assertThat(prefetch.at("/badge/label").asString() + " · "
                                    + prefetch.at("/badge/note").asString())
                            .isEqualTo("Delivered · auto-open");
                });
        // only Apple opened it: it stays on the follow-up list; the one a person clicked does not
        JsonNode followUp = json(send("GET", "/api/crm/activities?tenantId=" + tenant + "&noOpenFor=PT1S", null)
                .body());
        List<String> ids = new ArrayList<>();
        followUp.get("items").forEach(item -> ids.add(item.get("activityId").asString()));
        assertThat(ids).containsExactly(prefetched);
    }

    @Test
    @Order(7)
    void everyMetricTheDashboardAndAlertsUseIsExposedByTheRunningServices() throws Exception {
        String scrape = scrape(config.ingestManagementPort()) + "\n" + scrape(config.sendManagementPort());

        Set<String> exposed = MetricNamesInDeployment.seriesIn(scrape);

        assertThat(exposed).containsAll(MetricNamesInDeployment.all(config.repoRoot()));
    }

    @Test
    @Order(8)
    void everyListenerOfTheStackIsOnLoopbackOnly() throws Exception {
        assumeTrue(ListeningSockets.available(), "no /proc/net/tcp here (not Linux): listeners cannot be listed");
        List<ListeningSockets.Listener> listeners = ListeningSockets.of(stack.processes());

        // the right processes were looked at: every port the stack binds is among them
        assertThat(listeners)
                .extracting(ListeningSockets.Listener::port)
                .containsAll(config.portsToBind().values());
        InetAddress loopback = InetAddress.getByName(StackConfig.LOOPBACK);
        assertThat(listeners)
                .allSatisfy(listener -> assertThat(listener.address())
                        .as("port %d", listener.port())
                        .isEqualTo(loopback));
    }

    private static final String GMAIL_PROXY =
            "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
    private static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.1 Safari/605.1.15";

    private record TrackedEmail(String pixel, String link, Instant deliveredAt) {}

    /** Sends through the real send API with our tracking on, and reads back what the simulator received. */
    private TrackedEmail sendTracked(String activityId, String tenant) throws Exception {
        String body = """
                {"activityId":"%s","tenantId":"%s","from":"Acme <sales@acme.test>","to":["delivered@resend.dev"],
                 "subject":"Pricing","html":"<p>See <a href=\\"https://acme.test/pricing\\">our pricing</a></p>",
                 "tracking":{"opens":true,"clicks":true}}""".formatted(activityId, tenant);
        assertThat(send("POST", "/api/crm/emails", body).statusCode()).isEqualTo(202);
        JsonNode[] state = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .untilAsserted(() -> {
                    state[0] = json(getActivity(activityId).body());
                    assertThat(state[0].get("deliveredAt").isNull()).isFalse();
                    assertThat(state[0].get("messageId").isNull()).isFalse();
                });
        HttpResponse<String> sent = http.send(
                HttpRequest.newBuilder(URI.create(config.simulatorUrl() + "/emails/"
                                + state[0].get("messageId").asString()))
                        .header("Authorization", "Bearer " + StackConfig.DEV_RESEND_API_KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String html = json(sent.body()).get("html").asString();
        java.util.regex.Matcher pixel = java.util.regex.Pattern.compile("src=\"(http[^\"]+/t/o/[^\"]+\\.gif)\"")
                .matcher(html);
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"(http[^\"]+/t/c/[^\"]+)\"")
                .matcher(html);
        assertThat(pixel.find()).as("pixel in %s", html).isTrue();
        assertThat(link.find()).as("wrapped link in %s", html).isTrue();
        return new TrackedEmail(
                pixel.group(1),
                link.group(1),
                Instant.parse(state[0].get("deliveredAt").asString()));
    }

    private static JsonNode json(String body) {
        return tools.jackson.databind.json.JsonMapper.shared().readTree(body);
    }

    private HttpResponse<String> hit(String url, String userAgent) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("User-Agent", userAgent)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(config.sendUrl() + path)).header("Authorization", "Bearer dev-token");
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        return http.send(
                request.method(
                                method,
                                json == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String scrape(int managementPort) throws Exception {
        return http.send(
                        HttpRequest.newBuilder(
                                        URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private String deliveredWebhook(String activityId) {
        String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        return """
                {"type":"email.delivered","created_at":"%1$s","data":{"email_id":"%2$s","created_at":"%1$s",\
                "from":"Local Stack <it@mailtrail.dev>","to":["delivered@resend.dev"],"subject":"local stack slice",\
                "tags":{"activity_id":"%3$s","tenant_id":"it"}}}""".formatted(now, UUID.randomUUID(), activityId);
    }

    /** Signs like Svix does, with the dev secret the stack runs with: {svix-id, svix-timestamp, svix-signature}. */
    private String[] sign(String payload) throws Exception {
        String msgId = "msg_" + UUID.randomUUID().toString().replace("-", "").substring(0, 27);
        long timestamp = Instant.now().getEpochSecond();
        String signature = new Webhook(config.webhookSecret()).sign(msgId, timestamp, payload);
        return new String[] {msgId, Long.toString(timestamp), signature};
    }

    private HttpResponse<String> postWebhook(String payload, String[] svix) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(config.ingestUrl() + "/api/webhooks/resend"))
                        .timeout(Duration.ofSeconds(15))
                        .header("Content-Type", "application/json")
                        .header("svix-id", svix[0])
                        .header("svix-timestamp", svix[1])
                        .header("svix-signature", svix[2])
                        .POST(HttpRequest.BodyPublishers.ofString(payload))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getActivity(String activityId) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(config.sendUrl() + "/api/crm/activities/" + activityId))
                        .timeout(Duration.ofSeconds(5))
                        .header("Authorization", "Bearer " + config.apiToken())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Distinct free ports, all held open together so none is handed out twice. */
    private static int[] freePorts(int count) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : sockets) {
                socket.close();
            }
        }
    }
}
