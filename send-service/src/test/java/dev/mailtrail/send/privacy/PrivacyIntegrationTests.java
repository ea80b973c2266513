package dev.mailtrail.send.privacy;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.KafkaRecords;
import dev.mailtrail.send.ResendSimulator;
import dev.mailtrail.send.TestDatabase;
import dev.mailtrail.send.projection.ActivityStateRepository;
import dev.mailtrail.send.suppression.SuppressionList;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Issue 24's done-when over a real broker, PostgreSQL and the resend-simulator: erase, consent, retention. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token,acme-token:acme",
            "mailtrail.outbox.poll-interval=200ms",
            "mailtrail.send.poll-interval=100ms"
        })
@AutoConfigureWebTestClient(timeout = "30s")
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class PrivacyIntegrationTests {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final String ADDRESS = "delivered@resend.dev";
    /** Our own tracking's base URL (application.yml): pixel and wrapped links start with it. */
    static final String TRACKING_BASE = "http://127.0.0.1:8081";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
        registry.add("mailtrail.resend.base-url", ResendSimulator::url);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    DatabaseClient db;

    @Autowired
    ActivityStateRepository states;

    @Autowired
    RetentionSweep retention;

    @Autowired
    MeterRegistry meters;

    @Autowired
    Clock clock;

    @Test
    void anEraseLeavesNoAddressSubjectOrLinkInTheTenantsRowsStatesOrResponsesAndKeepsTheCounts() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenant = "erase-a-" + run;
        String other = "erase-b-" + run;
        String subject = "Secret offer " + run;
        String link = "https://acme.test/secret-" + run;
        String first = send(tenant, "a1-" + run, subject, link);
        String second = send(tenant, "a2-" + run, subject, link);
        // subject and link of their own: the scan looks for tenant a's anywhere
        String kept = send(other, "b1-" + run, "Other offer " + run, "https://acme.test/other-" + run);
        awaitStatus(tenant, first, "SENT");
        awaitStatus(tenant, second, "SENT");
        awaitStatus(other, kept, "SENT");
        publish(hit(tenant, first, EmailEventType.CLICKED, link), hit(tenant, first, EmailEventType.OPENED, null));
        JsonNode before = awaitStatus(tenant, first, "CLICKED");
        // the person is on the tenant's list (and has a soft bounce counted): the erase must keep them unmailable
        suppress(tenant, ADDRESS);
        db.sql("INSERT INTO soft_bounce (tenant_id, address, window_start, bounces) VALUES ($1, $2, now(), 1)")
                .bind(0, tenant)
                .bind(1, ADDRESS)
                .then()
                .block(PATIENCE);
        double erasedBefore =
                meters.counter("mailtrail.privacy.erased", "outcome", "erased").count();

        erase(tenant, "Delivered@Resend.dev").jsonPath("$.erasedActivities").isEqualTo(2);

        JsonNode after = activity(tenant, first);
        for (String count : List.of("openCount", "clickCount", "humanOpenCount", "humanClickCount")) {
            assertThat(after.get(count)).as(count).isEqualTo(before.get(count));
        }
        assertThat(after.get("status").asString()).isEqualTo("CLICKED");
        assertThat(meters.counter("mailtrail.privacy.erased", "outcome", "erased")
                        .count())
                .isEqualTo(erasedBefore + 1);
        assertNothingPersonal(tenant, subject, link);
        // the compacted topic's latest record of each activity is the redacted state
        try (Consumer<String, byte[]> consumer = KafkaRecords.consumer(broker, Topics.ACTIVITY_STATE)) {
            Map<String, String> latest = new HashMap<>();
            await().atMost(PATIENCE).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(r -> latest.put(r.key(), new String(r.value(), StandardCharsets.UTF_8)));
                for (String id : List.of(first, second)) {
                    String state = latest.get(tenant + ":" + id);
                    assertThat(state).contains("\"recipient\":\"erased:").doesNotContain(ADDRESS, subject, link);
                }
            });
        }
        // the list's topic: a tombstone under the address's key, the entry again under its erased form's key
        try (Consumer<String, byte[]> consumer = KafkaRecords.consumer(broker, Topics.SUPPRESSIONS)) {
            Map<String, String> latest = new HashMap<>();
            await().atMost(PATIENCE).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(500))
                        .forEach(r -> latest.put(
                                r.key(), r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8)));
                assertThat(latest).containsEntry(SuppressionList.key(tenant, ADDRESS), null);
                assertThat(latest.entrySet())
                        .filteredOn(e -> e.getKey().startsWith(tenant + ":") && e.getValue() != null)
                        .singleElement()
                        .satisfies(e -> assertThat(e.getValue())
                                .contains("\"email\":\"erased:", "\"reason\":\"manual\"")
                                .doesNotContain(ADDRESS));
            });
        }
        assertThat(count("SELECT count(*) AS n FROM soft_bounce WHERE tenant_id = $1", tenant))
                .isZero();
        // tenant isolation: the other tenant's activity to the same address keeps it
        assertThat(activity(other, kept).get("recipient").asString()).isEqualTo(ADDRESS);
        assertThat(activity(other, kept).get("subject").asString()).isEqualTo("Other offer " + run);

        // idempotent
        erase(tenant, ADDRESS).jsonPath("$.erasedActivities").isEqualTo(0);

        // a late event (a replay with a new id, naming the address and the link) is stored stripped
        EmailEvent late = hit(tenant, first, EmailEventType.CLICKED, link);
        publish(late);
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(
                                count("SELECT count(*) AS n FROM activity_event WHERE event_id = $1", late.eventId()))
                        .isEqualTo(1));
        // and still counted: the redacted state's links keep their counts under placeholders
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(
                                activity(tenant, first).get("clickCount").asLong())
                        .isEqualTo(before.get("clickCount").asLong() + 1));
        assertNothingPersonal(tenant, subject, link);

        // still not mailed: a new send to the address is stopped by the erased entry
        String later = send(tenant, "a3-" + run, "Later " + run, "https://acme.test/later");
        awaitStatus(tenant, later, "SUPPRESSED");
        assertThat(ResendSimulator.FRONT_DOOR.bodies("send/" + tenant + "/" + later))
                .isEmpty();
    }

    @Test
    void aRecipientWhoDeniedGetsUntrackedMailAndHitsOnOlderMailAreOnlyCountedAnonymously() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String tenant = "consent-" + run;
        String older = send(tenant, "old-" + run, "Hello", "https://acme.test/x");
        awaitStatus(tenant, older, "SENT");
        assertThat(ResendSimulator.FRONT_DOOR.bodies("send/" + tenant + "/" + older))
                .anySatisfy(body -> assertThat(body).contains(TRACKING_BASE));

        consent(tenant, ADDRESS, "denied");
        String untracked = send(tenant, "new-" + run, "Hello", "https://acme.test/x");
        awaitStatus(tenant, untracked, "SENT");
        assertThat(ResendSimulator.FRONT_DOOR.bodies("send/" + tenant + "/" + untracked))
                .isNotEmpty()
                .allSatisfy(
                        body -> assertThat(body).doesNotContain(TRACKING_BASE).contains("https://acme.test/x"));
        JsonNode untrackedState = activity(tenant, untracked);
        assertThat(untrackedState.get("openTracking").asString()).isEqualTo(OpenTracking.NOT_TRACKED.name());
        assertThat(untrackedState.at("/ownTracking/noConsent").asBoolean()).isTrue();
        assertThat(untrackedState.at("/badge/note").asString()).isEqualTo("no consent");

        publish(hit(tenant, older, EmailEventType.OPENED, null), hit(tenant, older, EmailEventType.CLICKED, "x"));
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(count(
                                "SELECT COALESCE(sum(hits), 0) AS n FROM anonymous_engagement WHERE tenant_id = $1",
                                tenant))
                        .isEqualTo(2));
        JsonNode state = activity(tenant, older);
        assertThat(state.get("status").asString()).isEqualTo("SENT");
        assertThat(state.get("openCount").asLong()).isZero();
        assertThat(count(
                        "SELECT count(*) AS n FROM activity_event WHERE activity_key = $1 AND type IN ('opened', 'clicked')",
                        tenant + ":" + older))
                .isZero();
    }

    @Test
    void consentNeedsATrackingValueAndAnAllTenantTokenMustNameTheTenant() {
        http.put()
                .uri("/api/crm/recipients/consent")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .bodyValue(Map.of("tenantId", "t-1", "email", ADDRESS, "tracking", "maybe"))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("tracking");
        http.delete()
                .uri("/api/crm/recipients?email=" + ADDRESS)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("tenantId");
        http.delete()
                .uri("/api/crm/recipients?tenantId=other&email=" + ADDRESS)
                .header(HttpHeaders.AUTHORIZATION, "Bearer acme-token")
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void theRetentionSweepDeletesExactlyTheExpiredActivitiesInBatches() {
        String tenant = "retention-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = clock.instant();
        int expired = RetentionSweep.BATCH + 3;
        List<ActivityState> rows = IntStream.range(0, expired + 2)
                .mapToObj(i -> ActivityState.builder()
                        .schemaVersion(ActivityState.SCHEMA_VERSION)
                        .activityId(String.format("r-%05d", i))
                        .tenantId(tenant)
                        .version(1)
                        .status(ActivityStatus.DELIVERED)
                        .openTracking(OpenTracking.TRACKED)
                        // the last two a day inside the 400 days, the others a day past them
                        .updatedAt(now.minus(Duration.ofDays(i < expired ? 401 : 399)))
                        .build())
                .toList();
        states.save(rows).block(PATIENCE);
        double deletedBefore =
                meters.counter("mailtrail.privacy.retention.deleted").count();

        Long deleted = retention.sweep().block(PATIENCE);

        assertThat(deleted).isGreaterThanOrEqualTo(expired);
        assertThat(count("SELECT count(*) AS n FROM activity_state WHERE tenant_id = $1", tenant))
                .isEqualTo(2);
        assertThat(meters.counter("mailtrail.privacy.retention.deleted").count())
                .isEqualTo(deletedBefore + deleted);
        assertThat(retention.sweep().block(PATIENCE)).isZero();
    }

    @Test
    void withOneHundredThousandActivitiesTheSweepFindsItsCandidatesThroughTheBrinIndex() {
        String prefix = "retain-" + UUID.randomUUID().toString().substring(0, 6);
        // written oldest first, as a table fills over time: the first ~1,260 are more than 400 days old
        db.sql("""
                INSERT INTO activity_state (activity_id, tenant_id, version, status, status_rank, open_tracking,
                    open_count, machine_open_count, human_open_count, click_count, updated_at)
                SELECT $1 || '-' || i, $1 || '-t' || (i % 20), 1, 'DELIVERED', 4, 'TRACKED', 0, 0, 0, 0,
                       now() - ((100001 - i) * 350 || ' seconds')::interval
                FROM generate_series(1, 100000) AS i""")
                .bind(0, prefix)
                .then()
                // what autovacuum does to a growing table: summarise the new page ranges, gather statistics
                .then(db.sql("SELECT brin_summarize_new_values('activity_state_retention')")
                        .then())
                .then(db.sql("ANALYZE activity_state").then())
                .block(Duration.ofMinutes(2));
        try {
            String plan = db.sql("EXPLAIN " + RetentionSweep.EXPIRED)
                    .bind(0, clock.instant().minus(Duration.ofDays(400)).atOffset(ZoneOffset.UTC))
                    .bind(1, RetentionSweep.BATCH)
                    .map(row -> row.get(0, String.class))
                    .all()
                    .collect(Collectors.joining("\n"))
                    .block(PATIENCE);

            assertThat(plan)
                    .contains("Bitmap Index Scan on activity_state_retention")
                    .doesNotContain("Seq Scan");
        } finally {
            db.sql("DELETE FROM activity_state WHERE activity_id LIKE $1 || '-%'")
                    .bind(0, prefix)
                    .then()
                    .block(PATIENCE);
        }
    }

    private void assertNothingPersonal(String tenant, String subject, String link) {
        List<String> tables = db.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                        + " AND table_type = 'BASE TABLE' AND table_name <> 'flyway_schema_history'"
                        // the done-when: aggregate report rows aside (per-link rollups name the link)
                        + " AND table_name <> 'engagement_rollup'")
                .map(row -> row.get("table_name", String.class))
                .all()
                .collectList()
                .block(PATIENCE);
        for (String table : tables) {
            List<String> rows = db.sql("SELECT t::text AS row FROM " + table + " t WHERE t::text LIKE $1"
                            + " OR t::text LIKE $2 OR t::text LIKE $3")
                    .bind(0, "%" + tenant + "%")
                    .bind(1, "%" + subject + "%")
                    .bind(2, "%" + link + "%")
                    .map(row -> row.get("row", String.class))
                    .all()
                    .collectList()
                    .block(PATIENCE);
            assertThat(rows)
                    .as(table)
                    .allSatisfy(
                            row -> assertThat(row.toLowerCase()).doesNotContain(ADDRESS, subject.toLowerCase(), link));
        }
        for (String id : List.of("a1-", "a2-")) {
            String activity = db.sql(
                            "SELECT activity_id FROM activity_state WHERE tenant_id = $1 AND activity_id LIKE $2")
                    .bind(0, tenant)
                    .bind(1, id + "%")
                    .map(row -> row.get("activity_id", String.class))
                    .one()
                    .block(PATIENCE);
            String body = get("/api/crm/activities/" + activity + "?tenantId=" + tenant)
                    + get("/api/crm/activities/" + activity + "/timeline?tenantId=" + tenant)
                    + get("/api/crm/activities?tenantId=" + tenant);
            assertThat(body).doesNotContain(ADDRESS, subject, link);
        }
    }

    private String send(String tenant, String activityId, String subject, String link) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activityId", activityId);
        body.put("tenantId", tenant);
        body.put("from", "Mailtrail Tests <tests@mailtrail.dev>");
        body.put("to", List.of(ADDRESS));
        body.put("subject", subject);
        body.put("html", "<p>Hello <a href=\"" + link + "\">offer</a></p>");
        body.put("tracking", Map.of("opens", true, "clicks", true));
        http.post()
                .uri("/api/crm/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .bodyValue(body)
                .exchange()
                .expectBody(String.class)
                .consumeWith(answer -> assertThat(answer.getStatus().value())
                        .as(answer.getResponseBody())
                        .isEqualTo(202));
        return activityId;
    }

    private WebTestClient.BodyContentSpec erase(String tenant, String email) {
        return http.delete()
                .uri(b -> b.path("/api/crm/recipients")
                        .queryParam("tenantId", tenant)
                        .queryParam("email", email)
                        .build())
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isAccepted()
                .expectBody();
    }

    private void suppress(String tenant, String email) {
        http.post()
                .uri("/api/crm/suppressions")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .bodyValue(Map.of("tenantId", tenant, "email", email, "reason", "manual"))
                .exchange()
                .expectStatus()
                .isCreated();
    }

    private void consent(String tenant, String email, String tracking) {
        http.put()
                .uri("/api/crm/recipients/consent")
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .bodyValue(Map.of("tenantId", tenant, "email", email, "tracking", tracking))
                .exchange()
                .expectStatus()
                .isNoContent();
    }

    /** A hit as the ingest publishes it: our tracking's, naming the activity, the recipient and the link. */
    private static EmailEvent hit(String tenant, String activityId, EmailEventType type, String link) {
        var builder = event(type)
                .tenant(tenant)
                .activity(activityId)
                .at(Instant.now())
                .from(type == EmailEventType.OPENED ? EventSource.TRACKING_PIXEL : EventSource.TRACKING_REDIRECT)
                .by(Classification.HUMAN, "opened_by_a_person");
        if (link != null) {
            builder.link(link);
        }
        return builder.build();
    }

    private void publish(EmailEvent... events) {
        EmailEvents.publish(kafka, List.of(events));
    }

    private JsonNode awaitStatus(String tenant, String activityId, String status) {
        JsonNode[] json = new JsonNode[1];
        await().atMost(PATIENCE).untilAsserted(() -> {
            json[0] = activity(tenant, activityId);
            assertThat(json[0].get("status").asString()).isEqualTo(status);
        });
        return json[0];
    }

    private JsonNode activity(String tenant, String activityId) {
        return WireJson.mapper().readTree(get("/api/crm/activities/" + activityId + "?tenantId=" + tenant));
    }

    private String get(String uri) {
        return new String(
                http.get()
                        .uri(uri)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                        .exchange()
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .returnResult()
                        .getResponseBody(),
                StandardCharsets.UTF_8);
    }

    private long count(String sql, String bind) {
        return db.sql(sql)
                .bind(0, bind)
                .map(row -> row.get("n", Number.class))
                .one()
                .map(Number::longValue)
                .defaultIfEmpty(0L)
                .block(PATIENCE);
    }
}
