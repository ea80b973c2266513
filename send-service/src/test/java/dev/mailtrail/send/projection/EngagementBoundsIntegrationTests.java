package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 18 on a real broker and PostgreSQL: a flood of distinct hits on one activity keeps its stored payloads at
 * the cap and its timeline bounded and paged, counts exact, other activities unaffected; the reads around new
 * clicks and V10's backfill agree with the full recount.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token",
            "mailtrail.outbox.poll-interval=200ms"
        })
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class EngagementBoundsIntegrationTests {

    static final Duration PATIENCE = Duration.ofSeconds(120);
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");
    static final int FLOOD_OPENS = 3_000;
    static final int FLOOD_CLICKS = 2_000;
    /** The default of mailtrail.projection.engagement-payload-cap. */
    static final int CAP = 500;
    /** What the migrations get for the default rules, with a payload cap of 2. */
    static final Map<String, String> PLACEHOLDERS = EngagementMigration.placeholders(EngagementRules.DEFAULTS, 2);

    static final List<String> LINKS = List.of(
            "https://acme.test/a",
            "https://acme.test/b",
            "https://acme.test/c",
            "https://acme.test/d",
            "https://acme.test/e",
            "https://acme.test/f",
            "https://acme.test/g");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Value("${spring.flyway.url}")
    String flywayUrl;

    @Value("${spring.flyway.user}")
    String flywayUser;

    @Value("${spring.flyway.password}")
    String flywayPassword;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    DatabaseClient db;

    @Autowired
    ActivityStateRepository states;

    @Test
    void aFloodOfDistinctHitsKeepsTheActivitysPayloadsAtTheCapItsCountsExactAndItsTimelineBoundedAndPaged() {
        String flooded = "act-" + UUID.randomUUID();
        String quiet = "act-" + UUID.randomUUID();
        List<EmailEvent> flood = flood(flooded, new Random(18));
        List<EmailEvent> calm = List.of(
                event(EmailEventType.SENT).activity(quiet).at(T0).build(),
                event(EmailEventType.DELIVERED)
                        .activity(quiet)
                        .at(T0.plusSeconds(1))
                        .build(),
                event(EmailEventType.OPENED)
                        .activity(quiet)
                        .at(T0.plusSeconds(60))
                        .by(Classification.HUMAN)
                        .build(),
                event(EmailEventType.CLICKED)
                        .activity(quiet)
                        .at(T0.plusSeconds(70))
                        .link(LINKS.get(0))
                        .build());
        List<EmailEvent> all = new ArrayList<>(flood);
        all.addAll(calm);
        Collections.shuffle(all, new Random(5));
        // a delivery earlier than any before it, last: every one of the flood's hits is recounted once
        EmailEvent earliest = event(EmailEventType.DELIVERED)
                .activity(flooded)
                .at(T0.minusMillis(500))
                .build();
        all.add(earliest);
        flood.add(earliest);

        publish(all);

        awaitStateOf(flooded, flood);
        awaitStateOf(quiet, calm);
        ActivityState state = states.find(key(flooded)).block(PATIENCE);
        assertThat(state.openCount() + state.machineOpenCount()).isEqualTo(FLOOD_OPENS);
        assertThat(state.clickCount() + state.machineClickCount()).isEqualTo(FLOOD_CLICKS);
        assertThat(state.machineClickCount()).as("the flood holds bursts").isPositive();
        assertThat(count("activity_key = $1", flooded)).isEqualTo(flood.size());
        assertThat(count("activity_key = $1 AND type = 'opened' AND payload IS NOT NULL", flooded))
                .isEqualTo(CAP);
        assertThat(count("activity_key = $1 AND type = 'clicked' AND payload IS NOT NULL", flooded))
                .isEqualTo(CAP);

        // every page bounded; together, the listed events as the whole timeline of the set shows them
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = timeline(flooded, "limit=500" + (cursor == null ? "" : "&cursor=" + cursor), 256 * 1024);
            assertThat(page.get("events").size()).isBetween(1, 500);
            assertThat(page.at("/unlisted/opens").asLong()).isEqualTo(FLOOD_OPENS - CAP);
            assertThat(page.at("/unlisted/clicks").asLong()).isEqualTo(FLOOD_CLICKS - CAP);
            page.get("events").forEach(entries::add);
            cursor = page.get("nextCursor").isNull()
                    ? null
                    : page.get("nextCursor").asString();
            pages++;
        } while (cursor != null);
        Set<String> listed = listed(flooded);
        List<EmailEvent> expected = Timelines.of(flood, EngagementRules.DEFAULTS).stream()
                .filter(e -> listed.contains(e.eventId()))
                .toList();
        assertThat(pages).isEqualTo(3);
        assertThat(entries)
                .extracting(e -> e.get("eventId").asString())
                .containsExactlyElementsOf(
                        expected.stream().map(EmailEvent::eventId).toList());
        assertThat(entries)
                .extracting(e -> e.get("classification").asString() + " " + e.get("reasons"))
                .containsExactlyElementsOf(expected.stream()
                        .map(e -> e.classification().wire() + " "
                                + WireJson.mapper()
                                        .writeValueAsString(
                                                e.client() == null
                                                        ? List.of()
                                                        : e.client().reasons()))
                        .toList());

        JsonNode first = timeline(flooded, "", 256 * 1024);
        assertThat(first.get("events").size()).isEqualTo(200);
        assertThat(first.get("nextCursor").isNull()).isFalse();
        JsonNode calmPage = timeline(quiet, "", 16 * 1024);
        assertThat(calmPage.get("events"))
                .extracting(e -> e.get("eventId").asString())
                .containsExactlyElementsOf(Timelines.of(calm, EngagementRules.DEFAULTS).stream()
                        .map(EmailEvent::eventId)
                        .toList());
        assertThat(calmPage.get("nextCursor").isNull()).isTrue();
        assertThat(calmPage.get("unlisted").toString()).isEqualTo("{\"opens\":0,\"clicks\":0}");
    }

    @Test
    void whenTheLastCountedClickJoinsABurstTheNearestCountedOneOutsideTheWindowIsTheLastAgain() {
        String activityId = "act-" + UUID.randomUUID();
        List<EmailEvent> events = new ArrayList<>(List.of(
                event(EmailEventType.DELIVERED).activity(activityId).at(T0).build(),
                event(EmailEventType.CLICKED)
                        .activity(activityId)
                        .at(T0.plusSeconds(60))
                        .link(LINKS.get(0))
                        .by(Classification.HUMAN)
                        .build()));
        for (int i = 0; i < 4; i++) {
            events.add(event(EmailEventType.CLICKED)
                    .activity(activityId)
                    .at(T0.plusMillis(120_000 + 100 * i))
                    .link(LINKS.get(i + 1))
                    .by(Classification.HUMAN)
                    .build());
        }
        publish(events);
        await().atMost(PATIENCE).until(() -> clicked(activityId), c -> c.clickCount() == 5);
        assertThat(clicked(activityId).lastClickedAt()).isEqualTo(T0.plusMillis(120_300));

        // the fifth link within a second: a scanner, and the last counted click is the one a minute earlier
        EmailEvent fifth = event(EmailEventType.CLICKED)
                .activity(activityId)
                .at(T0.plusMillis(120_400))
                .link(LINKS.get(5))
                .by(Classification.HUMAN)
                .build();
        events.add(fifth);
        publish(List.of(fifth));

        awaitStateOf(activityId, events);
        ActivityState state = clicked(activityId);
        assertThat(List.of(state.clickCount(), state.machineClickCount())).containsExactly(1L, 5L);
        assertThat(state.firstClickedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(state.lastClickedAt()).isEqualTo(T0.plusSeconds(60));
        assertThat(count("activity_key = $1 AND burst", activityId)).isEqualTo(5);
    }

    @Test
    void badTimelineParametersAreNamedInA400() {
        EmailEvent sent = event(EmailEventType.SENT).build();
        publish(List.of(sent));
        await().atMost(PATIENCE)
                .until(() -> states.find(key(sent.activityId())).blockOptional().isPresent());

        // a well-formed cursor whose time no page can end at (year 3 million): not one this API returned
        String madeUp = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("99999999999999999|x".getBytes(StandardCharsets.UTF_8));
        for (String query : List.of(
                "limit=0", "limit=501", "limit=many", "cursor=%21%21", "limit=0&cursor=x", "cursor=" + madeUp)) {
            http.get()
                    .uri("/api/crm/activities/" + sent.activityId() + "/timeline?" + query)
                    .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type")
                    .isEqualTo("https://mailtrail.dev/problems/validation")
                    .jsonPath("$.errors[*].field")
                    .isEqualTo(
                            query.contains("cursor")
                                    ? query.contains("limit") ? List.of("limit", "cursor") : List.of("cursor")
                                    : List.of("limit"));
        }
    }

    @Test
    void v10FlagsTheBurstsAlreadyRecordedAndKeepsThePayloadsOfTheFirstOpensAndClicksUpToTheCap() throws SQLException {
        List<EmailEvent> stored = new ArrayList<>(EngagementTests.clicks(T0, 5, 200));
        stored.add(EngagementTests.click(T0.plusSeconds(30), 0));
        stored.add(event(EmailEventType.OPENED)
                .at(T0.plusSeconds(40))
                .by(Classification.HUMAN)
                .build());
        stored.add(event(EmailEventType.OPENED)
                .at(T0.plusSeconds(50))
                .by(Classification.HUMAN, "gmail_image_proxy")
                .build());
        stored.add(event(EmailEventType.OPENED)
                .at(T0.plusSeconds(60))
                .by(Classification.MACHINE, "apple_mpp")
                .build());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < stored.size(); i++) {
            EmailEvent e = stored.get(i);
            Hit hit = Hit.of(e);
            boolean keeps = i < 2 || i >= 6 && i < 8;
            expected.add(e.eventId() + " " + (i < 5) + " " + hit.unsure() + " " + hit.link() + " " + keeps);
        }

        migratedFromV9(
                (c, schema) -> insertAsV9(c, schema, stored),
                (c, schema) -> assertThat(rows(
                                c,
                                "SELECT event_id, burst, unsure, link, payload IS NOT NULL FROM " + schema
                                        + ".activity_event ORDER BY applied_at, event_id"))
                        .containsExactlyElementsOf(expected));
    }

    @Test
    void v20CountsTheHumanOpensAndClicksAlreadyRecordedAsTheFoldDoes() throws SQLException {
        // five links followed within a second (a burst: machines), then a person's click
        List<EmailEvent> stored = new ArrayList<>(EngagementTests.clicks(T0.plusSeconds(60), 5, 200));
        stored.add(EngagementTests.click(T0.plusSeconds(120), 0));
        // human without a reason a second after delivery: a machine's; Gmail's proxy: a person's even then
        stored.add(event(EmailEventType.OPENED)
                .at(T0.plusSeconds(1))
                .by(Classification.HUMAN)
                .build());
        stored.add(event(EmailEventType.OPENED)
                .at(T0.plusSeconds(1))
                .by(Classification.HUMAN, "gmail_image_proxy")
                .build());
        stored.add(event(EmailEventType.OPENED).at(T0.plusSeconds(90)).build());
        stored.add(event(EmailEventType.OPENED)
                .at(T0.plusSeconds(95))
                .by(Classification.HUMAN)
                .build());
        stored.add(event(EmailEventType.OPENED)
                .at(T0.plusSeconds(99))
                .by(Classification.MACHINE, "apple_mpp")
                .build());
        List<EmailEvent> all = new ArrayList<>(stored);
        all.add(event(EmailEventType.DELIVERED).at(T0).build());
        ActivityState folded = ActivityFold.of(new ActivityKey("", "act-v7"), all, EngagementRules.DEFAULTS, T0);

        assertThat(List.of(folded.humanOpenCount(), folded.humanClickCount())).containsExactly(2L, 1L);
        migratedFromV9(
                (c, schema) -> {
                    insertAsV9(c, schema, stored);
                    try (Statement s = c.createStatement()) {
                        s.executeUpdate(
                                "INSERT INTO " + schema + ".activity_state (activity_id, version, status, status_rank,"
                                        + " open_tracking, delivered_at, updated_at) VALUES ('act-v7', 1, 'CLICKED', 6, 'TRACKED',"
                                        + " '" + T0 + "', now()), ('act-quiet', 1, 'DELIVERED', 4, 'TRACKED', '" + T0
                                        + "', now())");
                    }
                },
                (c, schema) -> assertThat(rows(
                                c,
                                "SELECT activity_id, human_open_count, human_click_count, human_engaged" + " FROM "
                                        + schema + ".activity_state ORDER BY activity_id"))
                        .containsExactly("act-quiet 0 0 false", "act-v7 2 1 true"));
    }

    /** Work on a schema of its own over JDBC. */
    interface InSchema {
        void run(Connection c, String schema) throws SQLException;
    }

    /**
     * A fresh schema migrated to V9, what {@code write} stores there as a V9 projection would, every later migration
     * (with the placeholders the service gives them), then {@code check}.
     */
    private void migratedFromV9(InSchema write, InSchema check) throws SQLException {
        String schema = "v9_" + Long.toString(System.nanoTime(), 36);
        Flyway.configure()
                .dataSource(flywayUrl, flywayUser, flywayPassword)
                .schemas(schema)
                .target("9")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(flywayUrl, flywayUser, flywayPassword)) {
            write.run(c, schema);
            Flyway.configure()
                    .dataSource(flywayUrl, flywayUser, flywayPassword)
                    .schemas(schema)
                    .placeholders(PLACEHOLDERS)
                    .load()
                    .migrate();
            check.run(c, schema);
        } finally {
            db.sql("DROP SCHEMA " + schema + " CASCADE").then().block(PATIENCE);
        }
    }

    /** Each row the query answers, its values joined by spaces. */
    private static List<String> rows(Connection c, String query) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            while (rs.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(String.valueOf(rs.getObject(i)));
                }
                rows.add(String.join(" ", values));
            }
        }
        return rows;
    }

    /** The rows a V9 projection wrote (activity_event as V6 left it) for these events, one applied after another in list order. */
    private static void insertAsV9(Connection c, String schema, List<EmailEvent> events) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + schema + ".activity_event (event_id,"
                + " activity_id, type, occurred_at, source, classification, payload, applied_at)"
                + " VALUES (?, 'act-v7', ?, ?, ?, ?, ?::jsonb, ?)")) {
            for (int i = 0; i < events.size(); i++) {
                EmailEvent e = events.get(i);
                insert.setString(1, e.eventId());
                insert.setString(2, e.type().wire());
                insert.setObject(3, OffsetDateTime.ofInstant(e.occurredAt(), ZoneOffset.UTC));
                insert.setString(4, e.source().wire());
                insert.setString(5, e.classification().wire());
                insert.setString(6, WireJson.mapper().writeValueAsString(e));
                insert.setObject(7, OffsetDateTime.ofInstant(T0.plusSeconds(i), ZoneOffset.UTC));
                insert.executeUpdate();
            }
        }
    }

    /**
     * Distinct opens and clicks on one delivered activity: scattered over half an hour from clients the edge judged
     * every way, some right after delivery, and twenty scanners following five links within half a second.
     */
    private static List<EmailEvent> flood(String activityId, Random random) {
        List<EmailEvent> events = new ArrayList<>();
        events.add(event(EmailEventType.DELIVERED)
                .activity(activityId)
                .at(T0.plusSeconds(1))
                .build());
        List<java.util.function.UnaryOperator<EmailEvents>> clients = List.of(
                b -> b,
                b -> b.by(Classification.UNKNOWN),
                b -> b.by(Classification.HUMAN),
                b -> b.by(Classification.HUMAN, "gmail_image_proxy"),
                b -> b.by(Classification.MACHINE, "apple_mpp"));
        for (int i = 0; i < FLOOD_OPENS; i++) {
            long at = i < 20 ? random.nextInt(3_000) : random.nextInt(1_800_000);
            events.add(clients.get(random.nextInt(clients.size()))
                    .apply(event(EmailEventType.OPENED).activity(activityId).at(T0.plusMillis(at)))
                    .build());
        }
        for (int burst = 0; burst < 20; burst++) {
            long start = 60_000L + random.nextInt(1_700_000);
            for (int i = 0; i < 5; i++) {
                events.add(event(EmailEventType.CLICKED)
                        .activity(activityId)
                        .at(T0.plusMillis(start + 100L * i))
                        .link(LINKS.get(i))
                        .by(Classification.HUMAN)
                        .build());
            }
        }
        for (int i = 100; i < FLOOD_CLICKS; i++) {
            events.add(clients.get(random.nextInt(clients.size()))
                    .apply(event(EmailEventType.CLICKED)
                            .activity(activityId)
                            .at(T0.plusMillis(random.nextInt(1_800_000)))
                            .link(LINKS.get(random.nextInt(LINKS.size()))))
                    .build());
        }
        return events;
    }

    private void awaitStateOf(String activityId, List<EmailEvent> events) {
        ProjectedStates.awaitStateOf(states, key(activityId), events);
    }

    private ActivityState clicked(String activityId) {
        return states.find(key(activityId)).blockOptional().orElse(ActivityFold.empty(key(activityId), T0));
    }

    private JsonNode timeline(String activityId, String query, int maxBytes) {
        return ProjectedStates.timeline(http, activityId, query, maxBytes);
    }

    private Set<String> listed(String activityId) {
        return new HashSet<>(
                db.sql("SELECT event_id FROM activity_event WHERE activity_key = $1" + " AND payload IS NOT NULL")
                        .bind(0, key(activityId).value())
                        .map(row -> row.get(0, String.class))
                        .all()
                        .collectList()
                        .block(PATIENCE));
    }

    /** The events of the activity of this id (the tests' tenant) that match. */
    private long count(String where, String activityId) {
        return db.sql("SELECT count(*) FROM activity_event WHERE " + where)
                .bind(0, key(activityId).value())
                .map(row -> row.get(0, Long.class))
                .one()
                .block(PATIENCE);
    }

    private void publish(List<EmailEvent> events) {
        EmailEvents.publish(kafka, events);
    }
}
