package dev.mailtrail.send.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.fixtures.MutableClock;
import dev.mailtrail.send.ResendSimulator;
import dev.mailtrail.send.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * The reconciler against the resend-simulator over HTTP and real PostgreSQL: lost events are replayed once the grace
 * period has passed (and then are resolved, never replayed again), at most once per grace period and max-replays
 * times; events our ingest refuses are counted refused; the cursor persists and stops the walk; activities stuck in
 * SENT are checked against {@code GET /emails/{id}}. Passes are run by the test (the schedule's interval is an hour),
 * and the service's time moves only when the test moves it past the grace period: no test waits it out.
 */
@SpringBootTest(
        properties = {
            "management.server.port=0",
            "mailtrail.reconcile.interval=1h",
            "mailtrail.reconcile.grace=1m",
            "mailtrail.reconcile.max-replays=2",
            "mailtrail.reconcile.stuck-after=1h",
            "mailtrail.resend.connect-timeout=2s",
            "mailtrail.resend.response-timeout=3s",
            "mailtrail.resend.rate-limit=50"
        })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class ReconcilerIntegrationTests {

    static final Duration PATIENCE = Duration.ofSeconds(40);
    static final Duration GRACE = Duration.ofMinutes(1);

    /** The service's one clock; each test starts it at the real time, which the simulator's events carry. */
    static final MutableClock CLOCK = new MutableClock(Instant.now());

    @TestBean
    Clock clock;

    static Clock clock() {
        return CLOCK;
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        registry.add("mailtrail.resend.base-url", ResendSimulator::url);
    }

    @Autowired
    ReconcileSchedule schedule;

    @Autowired
    WebhookLog log;

    @Autowired
    ReconcileStore store;

    @Autowired
    MeterRegistry meters;

    @Autowired
    DatabaseClient db;

    @BeforeEach
    void realTime() {
        CLOCK.set(Instant.now());
    }

    /** The service's time past the grace period of every event so far and of the last replays. */
    static void passGrace() {
        Instant now = Instant.now();
        CLOCK.set((CLOCK.instant().isAfter(now) ? CLOCK.instant() : now)
                .plus(GRACE)
                .plusSeconds(1));
    }

    @AfterEach
    void noLoss() {
        settings("{\"loss_rate\":0}");
    }

    static void settings(String json) {
        ResendSimulator.client()
                .put()
                .uri("/_simulator/settings")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange()
                .expectStatus()
                .isOk();
    }

    /** Sends straight to the simulator (not through our sender): only its webhooks matter here. */
    static String send(String subject) {
        return ResendSimulator.client()
                .post()
                .uri("/emails")
                .header("Authorization", "Bearer re_dev_mailtrail_local")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"from\":\"crm@mailtrail.dev\",\"to\":\"delivered@resend.dev\",\"subject\":\"" + subject
                        + "\",\"text\":\"x\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("id")
                .asString();
    }

    /** The simulator's delivery attempts of the email's webhooks, by svix-id (= Resend's event id). */
    static Map<String, List<JsonNode>> attempts(String emailId) {
        JsonNode all = ResendSimulator.client()
                .get()
                .uri("/_simulator/deliveries")
                .exchange()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        return all.valueStream()
                .filter(d -> d.get("email_id").asString().equals(emailId))
                .collect(Collectors.groupingBy(d -> d.get("svix_id").asString()));
    }

    static long succeeded(List<JsonNode> attempts) {
        return attempts.stream().filter(a -> a.get("succeeded").asBoolean()).count();
    }

    double counter(String name) {
        return meters.get(name).counter().count();
    }

    double missing() {
        return meters.get("mailtrail.reconcile.missing").gauge().value();
    }

    String webhookId() {
        return log.webhooks().get(0);
    }

    /** Sends with every automatic attempt lost; answers once the email's two events (sent, delivered) exist. */
    static String sendLost(String subject) {
        settings("{\"loss_rate\":1.0}");
        String emailId = send(subject);
        await().atMost(PATIENCE).until(() -> attempts(emailId).size() >= 2);
        settings("{\"loss_rate\":0}");
        return emailId;
    }

    @Test
    void lostEventsAreReplayedOnceTheGracePeriodHasPassedThenNeverAgain() {
        double replayed = counter("mailtrail.reconcile.replayed");
        String emailId = sendLost("lost");

        // young events are in flight: nothing replayed yet
        assertThat(schedule.pass()).isTrue();
        assertThat(attempts(emailId).values())
                .allSatisfy(a -> assertThat(succeeded(a)).isZero());

        passGrace();
        schedule.pass();
        assertThat(counter("mailtrail.reconcile.replayed") - replayed).isEqualTo(2);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(attempts(emailId))
                        .hasSize(2)
                        .allSatisfy((id, a) -> assertThat(succeeded(a)).isEqualTo(1)));

        // delivered now: later passes leave them alone, the cursor is past them, nothing is missing
        schedule.pass();
        passGrace();
        schedule.pass();
        assertThat(counter("mailtrail.reconcile.replayed") - replayed).isEqualTo(2);
        assertThat(attempts(emailId))
                .allSatisfy((id, a) -> assertThat(succeeded(a)).isEqualTo(1));
        assertThat(missing()).isZero();
        assertThat(store.cursor(webhookId())).isPresent();
    }

    @Test
    void aStillFailingEventIsReplayedOncePerGracePeriodAtMostMaxReplaysTimesAndHoldsTheCursor() {
        String emailId = sendLost(ResendSimulator.SINK_FAILS);
        passGrace();
        schedule.pass();
        assertThat(replaysOf(emailId)).isEqualTo(1);
        // within the grace period after a replay, another pass replays nothing
        schedule.pass();
        assertThat(replaysOf(emailId)).isEqualTo(1);
        passGrace();
        schedule.pass();
        assertThat(replaysOf(emailId)).isEqualTo(2);
        await().atMost(PATIENCE)
                .until(() -> attempts(emailId).values().stream()
                                .mapToLong(List::size)
                                .sum()
                        >= 2 * 2 + 2);
        long before = attempts(emailId).values().stream().mapToLong(List::size).sum();
        passGrace();
        schedule.pass();
        // max-replays (2) reached per event: no third replay of either; both still missing
        assertThat(replaysOf(emailId)).isEqualTo(2);
        assertThat(missing()).isGreaterThanOrEqualTo(2);
        String oldest = attempts(emailId).keySet().stream()
                .filter(id -> store.cursor(webhookId()).orElseThrow().equals(id))
                .findFirst()
                .orElse(null);
        assertThat(oldest).as("the cursor stays at an unresolved event").isNotNull();
        assertThat(attempts(emailId).values().stream().mapToLong(List::size).sum())
                .isGreaterThanOrEqualTo(before);
    }

    /** Replays the reconciler made of the email's events (the most for one event): attempts after the automatic ones. */
    int replaysOf(String emailId) {
        String webhookId = webhookId();
        return attempts(emailId).keySet().stream()
                .mapToInt(id -> store.handled(webhookId, id).replays())
                .max()
                .orElse(0);
    }

    @Test
    void eventsOurIngestRefusesAreCountedRefusedNotReplayed() {
        double refused = counter("mailtrail.reconcile.refused");
        double replayed = counter("mailtrail.reconcile.replayed");
        String emailId = send(ResendSimulator.SINK_REFUSES);
        await().atMost(PATIENCE).until(() -> attempts(emailId).size() >= 2);
        passGrace();

        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            schedule.pass();
            assertThat(counter("mailtrail.reconcile.refused") - refused).isEqualTo(2);
        });
        schedule.pass();
        assertThat(counter("mailtrail.reconcile.refused") - refused).isEqualTo(2);
        assertThat(counter("mailtrail.reconcile.replayed") - replayed).isZero();
    }

    @Test
    void theWalkStopsAtThePersistedCursor() {
        String webhookId = webhookId();
        String lostId = sendLost("before the cursor");
        // a newer event, delivered: the cursor as a restarted service would read it from PostgreSQL
        String newer = send("after");
        await().atMost(PATIENCE).until(() -> attempts(newer).size() >= 2);
        String cursor = log.events(webhookId, null, 1).events().get(0).id();
        store.moveCursor(webhookId, cursor, Instant.now());

        passGrace();
        double replayed = counter("mailtrail.reconcile.replayed");
        schedule.pass();

        // the lost events are older than the cursor: this walk never reached them
        assertThat(counter("mailtrail.reconcile.replayed") - replayed).isZero();
        assertThat(attempts(lostId))
                .allSatisfy((id, a) -> assertThat(succeeded(a)).isZero());
        assertThat(store.cursor(webhookId)).isPresent();
    }

    @Test
    void activitiesStuckInSentAreCheckedAgainstResendAndDriftIsCounted() {
        String emailId = send("stuck");
        await().atMost(PATIENCE)
                .until(() -> attempts(emailId).values().stream()
                                .mapToLong(a -> a.size())
                                .sum()
                        >= 2);
        double drift = meters.get("mailtrail.reconcile.drift")
                .tag("last_event", "delivered")
                .counter()
                .count();
        db.sql(
                        "INSERT INTO activity_state (activity_id, tenant_id, version, status, status_rank, open_tracking,"
                                + " message_id, sent_at, updated_at) VALUES ($1, 't-1', 1, 'SENT', 2, 'TRACKED', $2, $3, now())")
                .bind(0, "stuck-" + UUID.randomUUID())
                .bind(1, emailId)
                .bind(2, Instant.now().minus(Duration.ofHours(3)))
                .then()
                .block();

        schedule.pass();

        assertThat(meters.get("mailtrail.reconcile.drift")
                                .tag("last_event", "delivered")
                                .counter()
                                .count()
                        - drift)
                .isEqualTo(1);
    }
}
