package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static dev.mailtrail.send.KafkaRecords.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.KafkaRecords;
import dev.mailtrail.send.TestDatabase;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.outbox.OutboxRelay;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/** The projection on a real broker and a real PostgreSQL: two consumers, two partitions, the relay polling fast. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token,tenant-token:t-1",
            "mailtrail.kafka.partitions=2",
            "mailtrail.projection.concurrency=2",
            "mailtrail.outbox.poll-interval=200ms"
        })
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class ProjectionIntegrationTests {

    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Instant T0 = Instant.parse("2026-11-26T10:15:30.000Z");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
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
    MeterRegistry meters;

    @Autowired
    ActivityEventRepository events;

    /** Test-only database objects (failure-injecting triggers), dropped after each test. */
    final List<String> dropAfterwards = new ArrayList<>();

    @AfterEach
    void dropInjectedFailures() {
        dropAfterwards.forEach(sql -> db.sql(sql).then().block());
    }

    @Test
    void parkedEventsPastTheRetentionAreDeletedAndCountedAndFreshOnesKept(@Autowired ParkedEventExpiry expiry) {
        String expiredId = "resend:parked-old-" + UUID.randomUUID();
        String freshId = "resend:parked-new-" + UUID.randomUUID();
        double expiredBefore =
                meters.counter("mailtrail.projection.parked.expired").count();
        // 8 days old: past the default retention of 7
        park(expiredId, "now() - interval '8 days'");
        park(freshId, "now() - interval '6 days'");

        expiry.sweep().block(PATIENCE);

        assertThat(parkedCount(expiredId)).isZero();
        assertThat(parkedCount(freshId)).isOne();
        assertThat(meters.counter("mailtrail.projection.parked.expired").count() - expiredBefore)
                .isEqualTo(1.0);
        assertThat(meters.get("mailtrail.projection.parked").gauge().value()).isGreaterThanOrEqualTo(1.0);
    }

    private void park(String eventId, String parkedAt) {
        db.sql("INSERT INTO parked_event (event_id, provider_message_id, payload, parked_at) VALUES ($1, $2, '{}', "
                        + parkedAt + ")")
                .bind(0, eventId)
                .bind(1, "em-" + UUID.randomUUID())
                .then()
                .block(PATIENCE);
    }

    private long parkedCount(String eventId) {
        return db.sql("SELECT count(*) AS n FROM parked_event WHERE event_id = $1")
                .bind(0, eventId)
                .map(row -> row.get("n", Long.class))
                .one()
                .block(PATIENCE);
    }

    @Test
    void aDeliveredEventOnTheTopicIsVisibleAsDeliveredThroughTheQueryApi() {
        Instant deliveredAt = Instant.parse("2026-11-26T10:15:31.456Z");
        EmailEvent delivered = event(EmailEventType.DELIVERED).at(deliveredAt).build();

        publish(delivered);

        await().atMost(PATIENCE)
                .untilAsserted(() -> get(delivered.activityId(), "dev-token")
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.activityId")
                        .isEqualTo(delivered.activityId())
                        .jsonPath("$.status")
                        .isEqualTo("DELIVERED")
                        .jsonPath("$.deliveredAt")
                        .isEqualTo("2026-11-26T10:15:31.456Z")
                        .jsonPath("$.sentAt")
                        .doesNotExist()
                        .jsonPath("$.version")
                        .isEqualTo(1));
    }

    @Test
    void aRedeliveredEventIsAppliedOnce() {
        // a minute after delivery: an open, not a scanner's fetch
        EmailEvent opened = event(EmailEventType.OPENED).at(T0.plusSeconds(60)).build();
        EmailEvent marker = event(EmailEventType.DELIVERED)
                .activity(opened.activityId())
                .at(T0)
                .build();

        publish(opened);
        publish(opened);
        publish(marker);

        await().atMost(PATIENCE)
                .untilAsserted(() -> get(opened.activityId(), "dev-token")
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.deliveredAt")
                        .isNotEmpty()
                        .jsonPath("$.openCount")
                        .isEqualTo(1)
                        .jsonPath("$.status")
                        .isEqualTo("OPENED"));
    }

    @Test
    void unknownActivitiesAndOtherTenantsActivitiesAreNotFound() {
        EmailEvent otherTenant = event(EmailEventType.DELIVERED).tenant("t-2").build();
        publish(otherTenant);
        await().atMost(PATIENCE)
                .untilAsserted(() -> get(otherTenant.activityId(), "dev-token")
                        .expectStatus()
                        .isOk());

        get(otherTenant.activityId(), "tenant-token")
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/not-found");
        get("no-such-activity", "dev-token").expectStatus().isNotFound().expectBody(Void.class);
    }

    @Test
    void aValueNoRouteCanLookUpIsABadRequestNotAServerError() {
        // PostgreSQL refuses NUL in text: the caller's request, whatever the route
        get("act-\u0000", "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/validation");
    }

    @Test
    void theQueryApiNeedsAValidBearerToken() {
        http.get()
                .uri("/api/crm/activities/x")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/unauthorized");
        get("x", "wrong").expectStatus().isUnauthorized().expectBody(Void.class);
    }

    @Test
    void anUntaggedClickThatArrivesBeforeTheTaggedSentWaitsForTheEmailIdAndIsThenApplied() {
        String activityId = "act-" + UUID.randomUUID();
        String messageId = "em-" + UUID.randomUUID();
        EmailEvent click = event(EmailEventType.CLICKED)
                .activity(null)
                .tenant(null)
                .message(messageId)
                .at(T0.plusSeconds(30))
                .link("https://acme.test/pricing")
                .build();
        EmailEvent sent = event(EmailEventType.SENT)
                .activity(activityId)
                .message(messageId)
                .at(T0)
                .build();

        publish(click);
        await().atMost(PATIENCE).until(() -> count("parked_event WHERE provider_message_id = $1", messageId) == 1);
        publish(sent);

        await().atMost(PATIENCE)
                .untilAsserted(() -> get(activityId, "dev-token")
                        .expectStatus()
                        .isOk()
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo("CLICKED")
                        .jsonPath("$.messageId")
                        .isEqualTo(messageId)
                        .jsonPath("$.sentAt")
                        .isEqualTo("2026-11-26T10:15:30.000Z")
                        .jsonPath("$.clickCount")
                        .isEqualTo(1)
                        .jsonPath("$.openInferred")
                        .isEqualTo(true)
                        .jsonPath("$.links[0].url")
                        .isEqualTo("https://acme.test/pricing"));
        assertThat(count("parked_event WHERE provider_message_id = $1", messageId))
                .isZero();
        assertThat(events.listed(key(activityId), null, null, 10)
                        .map(row -> row.event().eventId())
                        .collectList()
                        .block())
                .containsExactly(sent.eventId(), click.eventId());
    }

    @Test
    void aBatchWhoseTransactionFailsAfterRecordingIsRetriedAndAppliedExactlyOnce() {
        EmailEvent opened =
                event(EmailEventType.OPENED).by(Classification.HUMAN).build();
        // serialization_failure: a fault worth retrying, whatever the batch holds
        String sequence = failOnce("BEFORE INSERT ON outbox", "NEW", opened.partitionKey(), "40001");
        double deadLetteredBefore = deadLettered(Topics.EVENTS, "data_fault");

        try (StateTopic states = new StateTopic()) {
            publish(opened);

            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(states.versions(opened.activityId()))
                            .containsOnly(1L)
                            .isNotEmpty());
        }
        get(opened.activityId(), "dev-token")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.openCount")
                .isEqualTo(1)
                .jsonPath("$.version")
                .isEqualTo(1);
        assertThat(count("activity_event WHERE activity_key = $1", opened.partitionKey()))
                .isEqualTo(1);
        // the failed attempt's link was rolled back: the retry wrote it again, not trusting what it had tried
        assertThat(count("provider_message WHERE message_id = $1", opened.providerMessageId()))
                .isEqualTo(1);
        // the trigger ran twice: the failed attempt and the retry
        assertThat(db.sql("SELECT last_value FROM " + sequence)
                        .map(row -> row.get(0, Long.class))
                        .one()
                        .block())
                .isEqualTo(2);
        assertThat(deadLettered(Topics.EVENTS, "data_fault")).isEqualTo(deadLetteredBefore);
    }

    @Test
    void stateChangesLeftInTheOutboxArePublishedLaterInOrderAndNeverGoBackwards() {
        String activityId = "act-" + UUID.randomUUID();
        String block = "relay_block_" + Math.abs(System.nanoTime());
        // the relay publishes, then cannot delete its rows: a crash between publish and commit, every pass
        db.sql("CREATE TABLE " + block + " (message_key text PRIMARY KEY)")
                .then()
                .block();
        db.sql("INSERT INTO " + block + " VALUES ($1)")
                .bind(0, key(activityId).value())
                .then()
                .block();
        trigger(block, "BEFORE DELETE ON outbox", """
                IF EXISTS (SELECT 1 FROM %s WHERE message_key = OLD.message_key) THEN
                    RAISE EXCEPTION 'injected relay failure';
                END IF;
                RETURN OLD;""".formatted(block));
        dropAfterwards.add("DROP TABLE " + block);

        try (StateTopic states = new StateTopic()) {
            publish(event(EmailEventType.SENT).activity(activityId).at(T0).build());
            publish(event(EmailEventType.DELIVERED)
                    .activity(activityId)
                    .at(T0.plusSeconds(1))
                    .build());
            publish(event(EmailEventType.OPENED)
                    .activity(activityId)
                    .at(T0.plusSeconds(9))
                    .build());
            await().atMost(PATIENCE)
                    .untilAsserted(() -> get(activityId, "dev-token")
                            .expectStatus()
                            .isOk()
                            .expectBody()
                            .jsonPath("$.status")
                            .isEqualTo("OPENED"));
            long version = db.sql("SELECT version FROM activity_state WHERE activity_id = $1")
                    .bind(0, activityId)
                    .map(row -> row.get(0, Long.class))
                    .one()
                    .block();
            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(count(
                                "outbox WHERE message_key = $1", key(activityId).value()))
                        .isPositive();
                assertThat(meters.get("mailtrail.outbox.backlog").gauge().value())
                        .isPositive();
            });

            db.sql("DELETE FROM " + block).then().block();

            await().atMost(PATIENCE)
                    .until(() -> count(
                                    "outbox WHERE message_key = $1",
                                    key(activityId).value())
                            == 0);
            await().atMost(PATIENCE)
                    .untilAsserted(() ->
                            assertThat(states.versions(activityId)).isSorted().endsWith(version));
        }
    }

    @Test
    void whileAnotherReplicaRelaysThisOneLeavesTheOutboxAlone(
            @Value("${spring.flyway.url}") String url,
            @Value("${spring.flyway.user}") String user,
            @Value("${spring.flyway.password}") String password)
            throws SQLException {
        EmailEvent delivered = event(EmailEventType.DELIVERED).build();

        try (StateTopic states = new StateTopic();
                Connection otherReplica = DriverManager.getConnection(url, user, password)) {
            try (Statement relaying = otherReplica.createStatement()) {
                relaying.execute("SELECT pg_advisory_lock(" + OutboxRelay.LOCK_KEY + ")");
            }
            publish(delivered);
            await().atMost(PATIENCE).until(() -> count("outbox WHERE message_key = $1", delivered.partitionKey()) == 1);
            // passes keep coming every 200 ms: none may take the row while the other replica holds the lock
            await().during(Duration.ofSeconds(1))
                    .atMost(PATIENCE)
                    .until(() -> count("outbox WHERE message_key = $1", delivered.partitionKey()) == 1);

            otherReplica.close();

            await().atMost(PATIENCE).until(() -> count("outbox WHERE message_key = $1", delivered.partitionKey()) == 0);
            await().atMost(PATIENCE)
                    .untilAsserted(() ->
                            assertThat(states.versions(delivered.activityId())).containsExactly(1L));
        }
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheReasonAndTheRestOfTheirBatchIsApplied() {
        String activityId = "act-" + UUID.randomUUID();
        EmailEvent badId = event(EmailEventType.OPENED).activity("not an id!").build();
        double unreadableBefore = deadLettered(Topics.EVENTS, "unreadable");
        double invalidBefore = deadLettered(Topics.EVENTS, "invalid");

        kafka.send(Topics.EVENTS, activityId, "{not json".getBytes(StandardCharsets.UTF_8))
                .join();
        kafka.send(Topics.EVENTS, activityId, WireJson.write(badId)).join();
        publish(event(EmailEventType.DELIVERED).activity(activityId).build());

        await().atMost(PATIENCE)
                .untilAsserted(() -> get(activityId, "dev-token").expectStatus().isOk());
        try (Consumer<String, byte[]> deadLetters = consumer(Topics.EVENTS_DLT)) {
            List<ConsumerRecord<String, byte[]>> mine = KafkaRecords.withKey(deadLetters, activityId, 2, PATIENCE);
            assertThat(mine)
                    .extracting(KafkaRecords::deadLetterReason)
                    .anySatisfy(reason -> assertThat(reason).startsWith("unreadable EmailEvent"))
                    .anySatisfy(reason -> assertThat(reason).startsWith("invalid EmailEvent: activityId is not"));
            assertThat(mine).allSatisfy(record -> {
                assertThat(header(record, "kafka_dlt-original-topic")).isEqualTo(Topics.EVENTS);
                assertThat(record.headers().lastHeader("kafka_dlt-exception-fqcn"))
                        .isNull();
            });
        }
        await().atMost(PATIENCE)
                .until(() -> deadLettered(Topics.EVENTS, "unreadable") - unreadableBefore == 1
                        && deadLettered(Topics.EVENTS, "invalid") - invalidBefore == 1);
    }

    @Test
    void eventsPostgresCannotStoreAreDeadLetteredWithTheirSqlStateAndTheRestOfTheirBatchAndPartitionIsApplied(
            @Autowired KafkaListenerEndpointRegistry listeners) {
        String key = "act-" + UUID.randomUUID();
        List<EmailEvent> healthy = List.of(
                event(EmailEventType.DELIVERED).build(),
                event(EmailEventType.OPENED).by(Classification.HUMAN).build());
        // what a rogue producer writes past the ingest, which would have cleaned it
        List<EmailEvent> rogue = List.of(
                event(EmailEventType.OPENED).subject("Hi\u0000there").build(),
                event(EmailEventType.DELIVERED).to("bob\u0000@example.com").build(),
                event(EmailEventType.CLICKED)
                        .link("https://acme.test/\u0000")
                        .by(Classification.HUMAN)
                        .build());
        EmailEvent next = event(EmailEventType.DELIVERED).build();
        double before = deadLettered(Topics.EVENTS, "data_fault");
        MessageListenerContainer projection = listeners.getListenerContainer("projection");

        try (Consumer<String, byte[]> deadLetters = consumer(Topics.EVENTS_DLT)) {
            // paused while they are written, so that they arrive as one batch on one partition
            projection.pause();
            await().atMost(PATIENCE).until(projection::isContainerPaused);
            for (EmailEvent e : List.of(healthy.get(0), rogue.get(0), rogue.get(1), healthy.get(1), rogue.get(2))) {
                kafka.send(Topics.EVENTS, key, WireJson.write(e)).join();
            }
            projection.resume();
            kafka.send(Topics.EVENTS, key, WireJson.write(next)).join();

            for (EmailEvent applied : List.of(healthy.get(0), healthy.get(1), next)) {
                await().atMost(PATIENCE)
                        .untilAsserted(() -> get(applied.activityId(), "dev-token")
                                .expectStatus()
                                .isOk());
            }
            List<ConsumerRecord<String, byte[]>> mine = KafkaRecords.withKey(deadLetters, key, 3, PATIENCE);
            assertThat(mine)
                    .extracting(record ->
                            WireJson.read(record.value(), EmailEvent.class).eventId())
                    .containsExactlyInAnyOrderElementsOf(
                            rogue.stream().map(EmailEvent::eventId).toList());
            assertThat(mine)
                    .extracting(KafkaRecords::deadLetterReason)
                    .allSatisfy(reason -> assertThat(reason)
                            .startsWith("data_fault: PostgreSQL refuses it: SQLSTATE 22")
                            .doesNotContain("example.com"));
        }
        for (EmailEvent refused : rogue) {
            get(refused.activityId(), "dev-token").expectStatus().isNotFound().expectBody(Void.class);
        }
        await().atMost(PATIENCE).until(() -> deadLettered(Topics.EVENTS, "data_fault") - before == 3);
    }

    @Test
    void v11KeysWhatIsStoredByTenantAndActivityAndLetsAnotherTenantUseTheSameId(
            @Value("${spring.flyway.url}") String url,
            @Value("${spring.flyway.user}") String user,
            @Value("${spring.flyway.password}") String password)
            throws SQLException {
        String schema = "v11_" + Long.toString(System.nanoTime(), 36);
        Map<String, String> placeholders = EngagementMigration.placeholders(EngagementRules.DEFAULTS, 500);
        Flyway.configure()
                .dataSource(url, user, password)
                .schemas(schema)
                .placeholders(placeholders)
                .target("10")
                .load()
                .migrate();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            s.execute("""
                    INSERT INTO activity_state (activity_id, tenant_id, version, status, status_rank, open_tracking,
                        updated_at) VALUES ('act-1', 't-1', 1, 'SENT', 2, 'TRACKED', now()),
                        ('act-2', NULL, 1, 'SENT', 2, 'TRACKED', now());
                    INSERT INTO activity_event (event_id, activity_id, type, occurred_at, source, classification,
                        payload) VALUES ('e-1', 'act-1', 'sent', now(), 'resend_webhook', 'unknown', '{}'),
                        ('e-2', 'act-2', 'sent', now(), 'resend_webhook', 'unknown', '{}');
                    INSERT INTO provider_message (message_id, activity_id) VALUES ('em-1', 'act-1'), ('em-2', 'act-2');
                    INSERT INTO send_request (activity_id, tenant_id, fingerprint, email, open_tracking, status,
                        accepted_at, updated_at) VALUES ('act-1', 't-1', 'f', '{}', 'TRACKED', 'SENT', now(), now());
                    """);

            Flyway.configure()
                    .dataSource(url, user, password)
                    .schemas(schema)
                    .placeholders(placeholders)
                    .load()
                    .migrate();

            assertThat(texts(s, "SELECT activity_key FROM activity_event ORDER BY event_id"))
                    .containsExactly("t-1:act-1", ":act-2");
            assertThat(texts(s, "SELECT activity_key FROM provider_message ORDER BY message_id"))
                    .containsExactly("t-1:act-1", ":act-2");
            assertThat(texts(s, "SELECT tenant_id FROM activity_state ORDER BY activity_id"))
                    .containsExactly("t-1", "");
            // another tenant's activity of the same id is another row, in every table keyed by activity
            s.execute("""
                    INSERT INTO activity_state (activity_id, tenant_id, version, status, status_rank, open_tracking,
                        updated_at) VALUES ('act-1', 't-2', 1, 'SENT', 2, 'TRACKED', now());
                    INSERT INTO send_request (activity_id, tenant_id, fingerprint, email, open_tracking, status,
                        accepted_at, updated_at) VALUES ('act-1', 't-2', 'f', '{}', 'TRACKED', 'SENT', now(), now());
                    INSERT INTO activity_event (event_id, activity_key, type, occurred_at, source, classification,
                        payload) VALUES ('e-1', 't-2:act-1', 'sent', now(), 'resend_webhook', 'unknown', '{}');
                    """);
            assertThatThrownBy(() -> s.execute("""
                    INSERT INTO send_request (activity_id, tenant_id, fingerprint, email, open_tracking, status,
                        accepted_at, updated_at) VALUES ('act-1', 't-2', 'g', '{}', 'TRACKED', 'SENT', now(), now())""")).hasMessageContaining("send_request_pkey");
        } finally {
            db.sql("DROP SCHEMA " + schema + " CASCADE").then().block(PATIENCE);
        }
    }

    private static List<String> texts(Statement s, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (var rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    @Test
    void anEventNamingAnotherTenantThanItsEmailsActivityChangesNothingIsDeadLetteredAndThePartitionMovesOn() {
        String activityId = "act-" + UUID.randomUUID();
        String messageId = "em-" + UUID.randomUUID();
        EmailEvent delivered = event(EmailEventType.DELIVERED)
                .activity(activityId)
                .tenant("t-1")
                .message(messageId)
                .at(T0)
                .build();
        // signed by Resend and tagged, but naming tenant t-2 for an email t-1 sent
        EmailEvent foreign = event(EmailEventType.COMPLAINED)
                .activity(activityId)
                .tenant("t-2")
                .message(messageId)
                .at(T0.plusSeconds(60))
                .build();
        EmailEvent opened = event(EmailEventType.OPENED)
                .activity(activityId)
                .tenant("t-1")
                .message(messageId)
                .at(T0.plusSeconds(120))
                .by(Classification.HUMAN)
                .build();
        // no tags at all: the email id tells the activity, tenant included
        EmailEvent untagged = event(EmailEventType.CLICKED)
                .activity(null)
                .tenant(null)
                .message(messageId)
                .at(T0.plusSeconds(180))
                .link("https://acme.test/a")
                .by(Classification.HUMAN)
                .build();
        double mismatchesBefore = meters.get("mailtrail.projection.events")
                .tags("type", "complained", "outcome", "tenant_mismatch")
                .counter()
                .count();
        double deadLetteredBefore = deadLettered(Topics.EVENTS, "tenant_mismatch");
        publish(delivered);
        await().atMost(PATIENCE)
                .untilAsserted(
                        () -> get(activityId, "tenant-token").expectStatus().isOk());

        try (Consumer<String, byte[]> deadLetters = consumer(Topics.EVENTS_DLT)) {
            // on the activity's own partition, before the events that follow it there
            for (EmailEvent e : List.of(foreign, opened, untagged)) {
                kafka.send(Topics.EVENTS, delivered.partitionKey(), WireJson.write(e))
                        .join();
            }

            await().atMost(PATIENCE)
                    .untilAsserted(() -> get(activityId, "tenant-token")
                            .expectStatus()
                            .isOk()
                            .expectBody()
                            .jsonPath("$.status")
                            .isEqualTo("CLICKED"));
            ConsumerRecord<String, byte[]> record = KafkaRecords.withKey(
                            deadLetters, delivered.partitionKey(), 1, PATIENCE)
                    .get(0);
            assertThat(WireJson.read(record.value(), EmailEvent.class).eventId())
                    .isEqualTo(foreign.eventId());
            assertThat(KafkaRecords.deadLetterReason(record)).startsWith("tenant_mismatch: ");
        }
        get(activityId, "tenant-token")
                .expectBody()
                .jsonPath("$.tenantId")
                .isEqualTo("t-1")
                .jsonPath("$.complainedAt")
                .isEmpty();
        http.get()
                .uri("/api/crm/activities/{id}?tenantId=t-2", activityId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectBody(Void.class);
        assertThat(count("activity_event WHERE event_id = $1", foreign.eventId()))
                .isZero();
        await().atMost(PATIENCE).until(() -> deadLettered(Topics.EVENTS, "tenant_mismatch") - deadLetteredBefore == 1);
        assertThat(meters.get("mailtrail.projection.events")
                                .tags("type", "complained", "outcome", "tenant_mismatch")
                                .counter()
                                .count()
                        - mismatchesBefore)
                .isEqualTo(1);
    }

    @Test
    void aStateKafkaRefusesForGoodIsSetAsideWithItsReasonAndTheRelayMovesOn(@Autowired Outbox outbox) {
        String tooLarge = "act-" + UUID.randomUUID();
        String after = "act-" + UUID.randomUUID();
        // over the producer's max.request.size (1 MiB): no retry can send it
        ActivityState huge = ActivityFold.of(
                key(tooLarge),
                List.of(event(EmailEventType.SENT)
                        .activity(tooLarge)
                        .subject("x".repeat(1_100_000))
                        .build()),
                EngagementRules.DEFAULTS,
                T0);
        ActivityState fine = ActivityFold.of(
                key(after), List.of(event(EmailEventType.SENT).activity(after).build()), EngagementRules.DEFAULTS, T0);
        double before = deadLettered(Topics.ACTIVITY_STATE, "too_large");

        try (StateTopic states = new StateTopic()) {
            outbox.add(List.of(
                            new Outbox.Message(Topics.ACTIVITY_STATE, tooLarge, huge, true),
                            new Outbox.Message(Topics.ACTIVITY_STATE, after, fine, true)))
                    .block(PATIENCE);

            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(states.versions(after)).containsExactly(1L));
            assertThat(states.versions(tooLarge)).isEmpty();
        }
        await().atMost(PATIENCE).until(() -> count("outbox WHERE message_key = $1", tooLarge) == 0);
        assertThat(db.sql("SELECT reason FROM outbox_refused WHERE message_key = $1")
                        .bind(0, tooLarge)
                        .map(row -> row.get("reason", String.class))
                        .all()
                        .collectList()
                        .block(PATIENCE))
                .singleElement()
                .asString()
                .startsWith("too_large: Kafka refuses its size: ");
        assertThat(deadLettered(Topics.ACTIVITY_STATE, "too_large") - before).isEqualTo(1);
    }

    @Test
    void everyListenerHasTheErrorHandlerChosenForIt(@Autowired KafkaListenerEndpointRegistry listeners) {
        // none falls back to spring-kafka's default, which gives up on a record after ten attempts and drops it
        assertThat(listeners.getListenerContainers())
                .hasSize(4)
                .allSatisfy(container -> assertThat(
                                ((AbstractMessageListenerContainer<?, ?>) container).getCommonErrorHandler())
                        .isNotNull());
        assertThat(errorHandler(listeners, "projection"))
                .isInstanceOf(DefaultErrorHandler.class)
                .isNotSameAs(errorHandler(listeners, "send-commands"));
        assertThat(errorHandler(listeners, "send-commands")).isInstanceOf(DefaultErrorHandler.class);
        // the reply matcher retries a record whose Receiving API fetch failed for a reason of Resend's, for ever
        assertThat(errorHandler(listeners, "replies")).isInstanceOf(DefaultErrorHandler.class);
        assertThat(errorHandler(listeners, "activity-stream")).isInstanceOf(CommonLoggingErrorHandler.class);
    }

    private static CommonErrorHandler errorHandler(KafkaListenerEndpointRegistry listeners, String id) {
        return ((AbstractMessageListenerContainer<?, ?>) listeners.getListenerContainer(id)).getCommonErrorHandler();
    }

    private double deadLettered(String topic, String reason) {
        return meters.get("mailtrail.kafka.dlt")
                .tags("topic", topic, "reason", reason)
                .counter()
                .count();
    }

    @Test
    void twoConsumersOnTwoPartitionsAgreeOnEveryActivityWhateverTheOrder(
            @Autowired KafkaListenerEndpointRegistry listeners) {
        ConcurrentMessageListenerContainer<?, ?> container =
                (ConcurrentMessageListenerContainer<?, ?>) listeners.getListenerContainer("projection");
        await().atMost(PATIENCE)
                .untilAsserted(() -> assertThat(container.getContainers())
                        .hasSize(2)
                        .allSatisfy(consumer ->
                                assertThat(consumer.getAssignedPartitions()).hasSize(1)));

        List<EmailEvent> all = new ArrayList<>();
        List<String> activities = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String activityId = "act-" + UUID.randomUUID();
            String messageId = "em-" + UUID.randomUUID();
            activities.add(activityId);
            // tagged events go by activity id, untagged ones by email id: often another partition
            all.add(event(EmailEventType.SENT)
                    .activity(activityId)
                    .message(messageId)
                    .at(T0)
                    .build());
            all.add(event(EmailEventType.OPENED)
                    .activity(activityId)
                    .message(messageId)
                    .by(Classification.MACHINE)
                    .at(T0.plusSeconds(2))
                    .build());
            for (EmailEventType type :
                    List.of(EmailEventType.DELIVERED, EmailEventType.OPENED, EmailEventType.CLICKED)) {
                all.add(event(type)
                        .activity(null)
                        .tenant(null)
                        .message(messageId)
                        .by(Classification.HUMAN)
                        .link("https://acme.test/" + i)
                        .at(T0.plusSeconds(1 + type.ordinal()))
                        .build());
            }
        }
        Collections.shuffle(all, new Random(7));
        double appliedBefore = meters.get("mailtrail.projection.events")
                .tags("type", "clicked", "outcome", "applied")
                .counter()
                .count();

        try (StateTopic states = new StateTopic()) {
            all.forEach(this::publish);

            for (String activityId : activities) {
                await().atMost(PATIENCE)
                        .untilAsserted(() -> get(activityId, "dev-token")
                                .expectStatus()
                                .isOk()
                                .expectBody()
                                .jsonPath("$.status")
                                .isEqualTo("CLICKED")
                                .jsonPath("$.deliveredAt")
                                .isEqualTo("2026-11-26T10:15:34.000Z")
                                .jsonPath("$.openCount")
                                .isEqualTo(1)
                                .jsonPath("$.machineOpenCount")
                                .isEqualTo(1)
                                .jsonPath("$.clickCount")
                                .isEqualTo(1)
                                .jsonPath("$.openInferred")
                                .isEqualTo(false));
                long version = db.sql("SELECT version FROM activity_state WHERE activity_id = $1")
                        .bind(0, activityId)
                        .map(row -> row.get(0, Long.class))
                        .one()
                        .block();
                await().atMost(PATIENCE)
                        .untilAsserted(() -> assertThat(states.versions(activityId))
                                .isSorted()
                                .endsWith(version));
            }
        }
        assertThat(meters.get("mailtrail.projection.events")
                                .tags("type", "clicked", "outcome", "applied")
                                .counter()
                                .count()
                        - appliedBefore)
                .isEqualTo(20);
        assertThat(meters.get("mailtrail.projection.batch.size").summary().count())
                .isPositive();
        assertThat(meters.get("mailtrail.projection.lag").timer().count()).isPositive();
    }

    @Test
    void aClickBurstSplitOverTwoPollBatchesEndsAsMachineClicksInTheStateAndTheTimeline() {
        String activityId = "act-" + UUID.randomUUID();
        EmailEvent delivered =
                event(EmailEventType.DELIVERED).activity(activityId).at(T0).build();
        EmailEvent read = event(EmailEventType.OPENED)
                .activity(activityId)
                .at(T0.plusSeconds(30))
                .by(Classification.HUMAN)
                .build();
        // right after delivery: a person behind Gmail's proxy stays one, an unknown client is a scanner
        EmailEvent gmail = event(EmailEventType.OPENED)
                .activity(activityId)
                .at(T0.plusMillis(500))
                .by(Classification.HUMAN, "gmail_image_proxy")
                .build();
        EmailEvent scan = event(EmailEventType.OPENED)
                .activity(activityId)
                .at(T0.plusSeconds(1))
                .build();
        List<EmailEvent> burst = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // what the edge saw: an ordinary browser
            burst.add(event(EmailEventType.CLICKED)
                    .activity(activityId)
                    .at(T0.plusMillis(60_000 + 150 * i))
                    .link("https://acme.test/" + i)
                    .by(Classification.HUMAN)
                    .build());
        }

        try (StateTopic states = new StateTopic()) {
            List.of(delivered, read, gmail, scan).forEach(this::publish);
            burst.subList(0, 3).forEach(this::publish);
            // applied before the rest is even published: the burst spans poll batches
            await().atMost(PATIENCE)
                    .untilAsserted(() -> get(activityId, "dev-token")
                            .expectStatus()
                            .isOk()
                            .expectBody()
                            .jsonPath("$.status")
                            .isEqualTo("CLICKED")
                            .jsonPath("$.clickCount")
                            .isEqualTo(3));
            burst.subList(3, 5).forEach(this::publish);

            await().atMost(PATIENCE)
                    .untilAsserted(() -> get(activityId, "dev-token")
                            .expectStatus()
                            .isOk()
                            .expectBody()
                            .jsonPath("$.status")
                            .isEqualTo("OPENED")
                            .jsonPath("$.clickCount")
                            .isEqualTo(0)
                            .jsonPath("$.machineClickCount")
                            .isEqualTo(5)
                            .jsonPath("$.firstClickedAt")
                            .doesNotExist()
                            .jsonPath("$.openCount")
                            .isEqualTo(2)
                            .jsonPath("$.machineOpenCount")
                            .isEqualTo(1)
                            .jsonPath("$.firstOpenedAt")
                            .isEqualTo("2026-11-26T10:15:30.500Z")
                            .jsonPath("$.links.length()")
                            .isEqualTo(5)
                            .jsonPath("$.links[*].machineClicks")
                            .value(machine ->
                                    assertThat(machine).asInstanceOf(LIST).containsOnly(1)));
            await().atMost(PATIENCE)
                    .untilAsserted(() -> assertThat(states.latest(activityId))
                            .extracting(
                                    ActivityState::status, ActivityState::clickCount, ActivityState::machineClickCount)
                            .containsExactly(ActivityStatus.OPENED, 0L, 5L));
        }
        http.get()
                .uri("/api/crm/activities/{id}/timeline", activityId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.events.length()")
                .isEqualTo(9)
                .jsonPath("$.events[1].reasons[0]")
                .isEqualTo("gmail_image_proxy")
                .jsonPath("$.events[1].classification")
                .isEqualTo("human")
                .jsonPath("$.events[2].reasons[0]")
                .isEqualTo(Engagement.TOO_SOON_AFTER_DELIVERY)
                .jsonPath("$.events[3].classification")
                .isEqualTo("human")
                .jsonPath("$.events[?(@.type == 'clicked' && @.classification == 'machine')].reasons[0]")
                .value(reasons ->
                        assertThat(reasons).asInstanceOf(LIST).hasSize(5).containsOnly(Engagement.CLICK_BURST));
    }

    @Test
    void aStateWrittenMeanwhileByAnotherConsumerIsNeverOverwritten(@Autowired ActivityStateRepository states) {
        String activityId = "act-" + UUID.randomUUID();
        ActivityState mine = ActivityFold.of(
                key(activityId), List.of(event(EmailEventType.SENT).build()), EngagementRules.DEFAULTS, T0);
        ActivityState theirs = ActivityFold.of(
                key(activityId), List.of(event(EmailEventType.OPENED).build()), EngagementRules.DEFAULTS, T0);
        states.save(List.of(theirs)).block();

        assertThatThrownBy(() -> states.save(List.of(mine)).block())
                .isInstanceOf(ActivityStateRepository.ConcurrentStateChangeException.class);
        assertThat(states.find(key(activityId)).block().status()).isEqualTo(ActivityStatus.OPENED);
    }

    @Test
    void aRepeatedOpenOrClickIsWrittenAsAHeapOnlyUpdate(
            @Autowired ActivityStateRepository states, @Autowired TransactionalOperator transaction) {
        String activityId = "act-" + UUID.randomUUID();
        List<EmailEvent> engaged = List.of(
                event(EmailEventType.SENT).activity(activityId).at(T0).build(),
                event(EmailEventType.DELIVERED)
                        .activity(activityId)
                        .at(T0.plusSeconds(1))
                        .build(),
                event(EmailEventType.OPENED)
                        .activity(activityId)
                        .by(Classification.HUMAN)
                        .at(T0.plusSeconds(60))
                        .build(),
                event(EmailEventType.CLICKED)
                        .activity(activityId)
                        .by(Classification.HUMAN)
                        .link("https://acme.test/a")
                        .at(T0.plusSeconds(90))
                        .build());
        MemoryHits memory = new MemoryHits(EngagementRules.DEFAULTS);
        ActivityState state = memory.apply(null, activityId, engaged, T0).orElseThrow();
        states.save(List.of(state)).block(PATIENCE);

        for (EmailEvent again : List.of(
                event(EmailEventType.OPENED)
                        .activity(activityId)
                        .by(Classification.HUMAN)
                        .at(T0.plusSeconds(600))
                        .build(),
                event(EmailEventType.CLICKED)
                        .activity(activityId)
                        .by(Classification.HUMAN)
                        .link("https://acme.test/b")
                        .at(T0.plusSeconds(700))
                        .build())) {
            state = memory.apply(state, activityId, List.of(again), T0).orElseThrow();
            // the connection's own counters, read around the save in one transaction (nothing flushes them meanwhile)
            ActivityState next = state;
            UpdateCounts save = Mono.zip(
                            updateCounts(),
                            states.save(List.of(next)).then(updateCounts()),
                            (before, after) -> after.since(before))
                    .as(transaction::transactional)
                    .block(PATIENCE);

            assertThat(save).as("after another %s", again.type()).isEqualTo(new UpdateCounts(1, 1));
        }
        assertThat(states.find(key(activityId)).block(PATIENCE)).isEqualTo(state);
    }

    /** Updates and heap-only updates of activity_state by this connection not yet flushed to the statistics. */
    private Mono<UpdateCounts> updateCounts() {
        return db.sql("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'activity_state'")
                .map(row -> new UpdateCounts(row.get("n_tup_upd", Long.class), row.get("n_tup_hot_upd", Long.class)))
                .one();
    }

    record UpdateCounts(long updates, long heapOnly) {

        UpdateCounts since(UpdateCounts before) {
            return new UpdateCounts(updates - before.updates, heapOnly - before.heapOnly);
        }
    }

    @Test
    void batchesOfOneActivityAppliedAtOnceAllCountTheLosersRetryOnTheWinnersState(@Autowired ProjectionBatch batches) {
        String activityId = "act-" + UUID.randomUUID();
        int opens = 8;
        List<Mono<ProjectionBatch.Applied>> applies = new ArrayList<>();
        for (int i = 0; i < opens; i++) {
            EmailEvent open = event(EmailEventType.OPENED)
                    .activity(activityId)
                    .by(Classification.HUMAN)
                    .at(T0.plusSeconds(600L * i))
                    .build();
            // as the consumer's error handler does: a batch that lost the race is applied again
            applies.add(batches.apply(List.of(open))
                    .retryWhen(Retry.max(opens)
                            .filter(ActivityStateRepository.ConcurrentStateChangeException.class::isInstance)));
        }

        Flux.merge(applies).blockLast(PATIENCE);

        get(activityId, "dev-token")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.openCount")
                .isEqualTo(opens)
                .jsonPath("$.version")
                .isEqualTo(opens);
    }

    private void publish(EmailEvent event) {
        kafka.send(Topics.EVENTS, event.partitionKey(), WireJson.write(event)).join();
    }

    private WebTestClient.ResponseSpec get(String activityId, String token) {
        return http.get()
                .uri("/api/crm/activities/{id}", activityId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }

    private long count(String fromWhere, String parameter) {
        return db.sql("SELECT count(*) FROM " + fromWhere)
                .bind(0, parameter)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }

    /** A row trigger failing with {@code sqlState} the first time it sees {@code key} in message_key; answers its sequence. */
    private String failOnce(String when, String row, String key, String sqlState) {
        String name = "fail_once_" + Math.abs(System.nanoTime());
        db.sql("CREATE SEQUENCE " + name).then().block();
        dropAfterwards.add("DROP SEQUENCE " + name);
        trigger(name, when, """
                IF %s.message_key = '%s' THEN
                    IF nextval('%s') = 1 THEN
                        RAISE EXCEPTION 'injected failure' USING ERRCODE = '%s';
                    END IF;
                END IF;
                RETURN %s;""".formatted(row, key, name, sqlState, row));
        return name;
    }

    private void trigger(String name, String when, String body) {
        db.sql("CREATE FUNCTION " + name + "() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN " + body + " END $fn$")
                .then()
                .block();
        db.sql("CREATE TRIGGER " + name + " " + when + " FOR EACH ROW EXECUTE FUNCTION " + name + "()")
                .then()
                .block();
        dropAfterwards.add(0, "DROP FUNCTION " + name + "() CASCADE");
    }

    private Consumer<String, byte[]> consumer(String topic) {
        return KafkaRecords.consumer(broker, topic);
    }

    /** Everything published on the state topic since it was opened (from the beginning of the topic). */
    private final class StateTopic implements AutoCloseable {

        private final Consumer<String, byte[]> consumer = consumer(Topics.ACTIVITY_STATE);
        private final List<ActivityState> seen = new ArrayList<>();

        /** The versions published for one activity so far, in topic order. */
        List<Long> versions(String activityId) {
            return published(activityId).stream().map(ActivityState::version).toList();
        }

        /** The last state published for one activity so far, or null. */
        ActivityState latest(String activityId) {
            List<ActivityState> published = published(activityId);
            return published.isEmpty() ? null : published.get(published.size() - 1);
        }

        private List<ActivityState> published(String activityId) {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> seen.add(WireJson.read(r.value(), ActivityState.class)));
            return seen.stream().filter(s -> s.activityId().equals(activityId)).toList();
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
