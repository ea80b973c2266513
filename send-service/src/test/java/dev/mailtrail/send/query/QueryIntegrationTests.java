package dev.mailtrail.send.query;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** The query API and the live stream over a real broker and PostgreSQL, fed through the projection. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=dev-token,acme-token:acme",
            "mailtrail.outbox.poll-interval=200ms"
        })
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class QueryIntegrationTests {

    static final Instant NOW = Instant.now();
    static final List<String> STATE_FIELDS = List.of(
            "schemaVersion",
            "activityId",
            "tenantId",
            "version",
            "status",
            "messageId",
            "recipient",
            "subject",
            "openTracking",
            "ownTracking",
            "queuedAt",
            "scheduledAt",
            "sentAt",
            "firstDelayedAt",
            "deliveredAt",
            "firstOpenedAt",
            "lastOpenedAt",
            "openCount",
            "machineOpenCount",
            "humanOpenCount",
            "openInferred",
            "firstClickedAt",
            "lastClickedAt",
            "clickCount",
            "machineClickCount",
            "humanClickCount",
            "links",
            "bouncedAt",
            "bounce",
            "complainedAt",
            "unsubscribedAt",
            "failedAt",
            "failureReason",
            "suppressedAt",
            "updatedAt",
            "recipients",
            "tags",
            "repliedAt",
            "replyCount",
            "badge");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    ActivityListing listing;

    @Autowired
    org.springframework.r2dbc.core.DatabaseClient db;

    @Test
    void anActivityHasEveryFieldNullWhenUnknownAndABadge() {
        String tenant = tenant();
        EmailEvent delivered = event(EmailEventType.DELIVERED)
                .tenant(tenant)
                .at(NOW.minusSeconds(7200))
                .build();
        EmailEvent click = event(EmailEventType.CLICKED)
                .activity(delivered.activityId())
                .tenant(tenant)
                .at(NOW.minusSeconds(3600))
                .link("https://acme.test/pricing")
                .build();
        EmailEvent scanner = event(EmailEventType.CLICKED)
                .activity(delivered.activityId())
                .tenant(tenant)
                .at(NOW.minusSeconds(7100))
                .link("https://acme.test/pricing")
                .by(Classification.MACHINE)
                .build();
        publish(delivered, click, scanner);

        JsonNode json = awaitActivity(delivered.activityId(), "CLICKED", 3);

        assertThat(iterable(json.propertyNames())).containsExactlyInAnyOrderElementsOf(STATE_FIELDS);
        assertThat(json.get("sentAt").isNull()).isTrue();
        assertThat(json.get("bounce").isNull()).isTrue();
        assertThat(json.get("unsubscribedAt").isNull()).isTrue();
        assertThat(json.get("deliveredAt").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(json.get("links").toString())
                .isEqualTo("[{\"url\":\"https://acme.test/pricing\",\"clicks\":1,\"machineClicks\":1}]");
        assertThat(json.get("openInferred").asBoolean()).isTrue();
        // Resend's hits, and nothing says ours tracked the email: they count, none corroborates
        assertThat(json.get("ownTracking").toString())
                .isEqualTo("{\"opens\":false,\"clicks\":false,\"corroboratingOpens\":0,\"corroboratingClicks\":0,"
                        + "\"noConsent\":false}");
        assertThat(json.at("/badge/label").asString()).isEqualTo("Clicked");
        assertThat(json.at("/badge/at").asString()).isEqualTo(WireJson.format(click.occurredAt()));
        assertThat(json.at("/badge/relative").asString()).isEqualTo("1h ago");
        assertThat(json.at("/badge/note").isNull()).isTrue();
        // one message for the email: no recipients of its own, no problems
        assertThat(json.get("recipients").toString()).isEqualTo("[]");
        assertThat(json.at("/badge/problems").asLong()).isZero();
    }

    @Test
    void aBounceCarriesItsDetails() {
        EmailEvent bounced = event(EmailEventType.BOUNCED)
                .tenant(tenant())
                .bounce("Permanent", "mailbox unknown")
                .build();
        publish(bounced);

        JsonNode json = awaitActivity(bounced.activityId(), "BOUNCED", 1);

        assertThat(json.get("bounce").toString())
                .isEqualTo(
                        "{\"type\":\"Permanent\",\"subType\":\"General\",\"message\":\"mailbox unknown\",\"hard\":true}");
    }

    @Test
    void theTimelineShowsEachFactOnceInTimeOrder() {
        String tenant = tenant();
        EmailEvent sent = event(EmailEventType.SENT)
                .tenant(tenant)
                .at(NOW.minusSeconds(100))
                .build();
        String activity = sent.activityId();
        EmailEvent sentAgainLater = event(EmailEventType.SENT)
                .activity(activity)
                .tenant(tenant)
                .at(NOW.minusSeconds(90))
                .build();
        EmailEvent delivered = event(EmailEventType.DELIVERED)
                .activity(activity)
                .tenant(tenant)
                .at(NOW.minusSeconds(80))
                .build();
        EmailEvent open1 = event(EmailEventType.OPENED)
                .activity(activity)
                .tenant(tenant)
                .at(NOW.minusSeconds(70))
                .by(Classification.MACHINE)
                .build();
        EmailEvent open2 = event(EmailEventType.OPENED)
                .activity(activity)
                .tenant(tenant)
                .at(NOW.minusSeconds(60))
                .build();
        EmailEvent click = event(EmailEventType.CLICKED)
                .activity(activity)
                .tenant(tenant)
                .at(NOW.minusSeconds(50))
                .link("https://acme.test/a")
                .build();
        publish(click, open2, delivered, sentAgainLater, open1, sent, sent);
        awaitActivity(activity, "CLICKED", 5);

        http.get()
                .uri("/api/crm/activities/{id}/timeline", activity)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.activityId")
                .isEqualTo(activity)
                .jsonPath("$.events.length()")
                .isEqualTo(5)
                .jsonPath("$.events[*].eventId")
                .isEqualTo(
                        List.of(sent.eventId(), delivered.eventId(), open1.eventId(), open2.eventId(), click.eventId()))
                .jsonPath("$.events[*].type")
                .isEqualTo(List.of("sent", "delivered", "opened", "opened", "clicked"))
                .jsonPath("$.events[2].classification")
                .isEqualTo("machine")
                .jsonPath("$.events[4].link")
                .isEqualTo("https://acme.test/a")
                .jsonPath("$.events[4].source")
                .isEqualTo("resend_webhook")
                .jsonPath("$.events[0].occurredAt")
                .isEqualTo(WireJson.format(sent.occurredAt()));
    }

    @Test
    void theFollowUpListsKeepMachineOnlyOpensAndTheStrictOneUnknownEngagementToo() {
        String tenant = tenant();
        Instant fourDaysAgo = NOW.minus(Duration.ofDays(4));
        String quiet = sentAt(tenant, fourDaysAgo);
        String machineOnly = sentAt(tenant, fourDaysAgo);
        String unknownOpen = sentAt(tenant, fourDaysAgo);
        String resendOpen = sentAt(tenant, fourDaysAgo);
        String unknownClick = sentAt(tenant, fourDaysAgo);
        String humanOpen = sentAt(tenant, fourDaysAgo);
        String humanClick = sentAt(tenant, fourDaysAgo);
        String notTracked = sentAt(tenant, fourDaysAgo);
        String bounced = sentAt(tenant, fourDaysAgo);
        String recent = sentAt(tenant, NOW.minus(Duration.ofDays(1)));
        String deliveredOnly = "act-" + UUID.randomUUID();
        publish(
                event(EmailEventType.DELIVERED)
                        .activity(deliveredOnly)
                        .tenant(tenant)
                        .at(fourDaysAgo)
                        .build(),
                event(EmailEventType.OPENED)
                        .activity(machineOnly)
                        .tenant(tenant)
                        .by(Classification.MACHINE)
                        .build(),
                event(EmailEventType.OPENED)
                        .activity(unknownOpen)
                        .tenant(tenant)
                        .by(Classification.UNKNOWN)
                        .build(),
                // Resend's: no client data at all
                event(EmailEventType.OPENED).activity(resendOpen).tenant(tenant).build(),
                event(EmailEventType.CLICKED)
                        .activity(unknownClick)
                        .tenant(tenant)
                        .link("https://acme.test/a")
                        .build(),
                event(EmailEventType.OPENED)
                        .activity(humanOpen)
                        .tenant(tenant)
                        .by(Classification.HUMAN)
                        .build(),
                event(EmailEventType.CLICKED)
                        .activity(humanClick)
                        .tenant(tenant)
                        .link("https://acme.test/a")
                        .by(Classification.HUMAN)
                        .build(),
                event(EmailEventType.QUEUED)
                        .activity(notTracked)
                        .tenant(tenant)
                        .at(fourDaysAgo.minusSeconds(1))
                        .from(EventSource.SEND_SERVICE)
                        .tags(Map.of(OpenTracking.TAG, "NOT_TRACKED"))
                        .build(),
                event(EmailEventType.BOUNCED)
                        .activity(bounced)
                        .tenant(tenant)
                        .bounce("Permanent", "gone")
                        .build());
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ids(list(tenant, ""))).hasSize(11));
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(status(unknownOpen)
                                + status(resendOpen)
                                + status(unknownClick)
                                + status(humanOpen)
                                + status(humanClick)
                                + status(bounced)
                                + status(machineOnly))
                        .isEqualTo("OPENED" + "OPENED" + "CLICKED" + "OPENED" + "CLICKED" + "BOUNCED" + "SENT"));

        assertThat(ids(list(tenant, "&noOpenFor=P3D")))
                .containsExactlyInAnyOrder(quiet, machineOnly, deliveredOnly)
                .isEqualTo(ids(list(tenant, "&noOpenFor=P3D&engagement=any")));
        assertThat(ids(list(tenant, "&noOpenFor=PT12H")))
                .contains(recent)
                .doesNotContain(notTracked, bounced, unknownOpen);
        assertThat(ids(list(tenant, "&status=BOUNCED&status=opened")))
                .containsExactlyInAnyOrder(bounced, unknownOpen, resendOpen, humanOpen);
        // strict: only a person's open or click takes an activity off
        JsonNode strict = list(tenant, "&noOpenFor=P3D&engagement=strict");
        assertThat(ids(strict))
                .containsExactlyInAnyOrder(quiet, machineOnly, deliveredOnly, unknownOpen, resendOpen, unknownClick)
                .isEqualTo(ids(list(tenant, "&noOpenFor=P3D&engagement=STRICT")));
        JsonNode unverified = item(strict, resendOpen);
        assertThat(unverified.at("/badge/note").asString()).isEqualTo(Badge.UNVERIFIED_OPEN);
        assertThat(List.of(
                        unverified.get("openCount").asLong(),
                        unverified.get("humanOpenCount").asLong()))
                .containsExactly(1L, 0L);
        assertThat(awaitActivity(humanClick, "CLICKED", 2)
                        .get("humanClickCount")
                        .asLong())
                .isEqualTo(1);
    }

    @Test
    void keysetPagingHasNoGapsOrRepeatsWhileActivitiesArrive() {
        String tenant = tenant();
        List<String> original = IntStream.range(0, 60)
                .mapToObj(i -> sentAt(tenant, NOW.minus(Duration.ofMinutes(i % 20))))
                .toList();
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(ids(list(tenant, "&limit=500"))).hasSize(60));

        List<String> seen = new ArrayList<>();
        String cursor = null;
        int page = 0;
        do {
            // meanwhile new activities arrive, newer and older than the pages read so far
            sentAt(tenant, NOW.plus(Duration.ofMinutes(page)));
            sentAt(tenant, NOW.minus(Duration.ofHours(1 + page)));
            JsonNode body = list(tenant, "&limit=7" + (cursor == null ? "" : "&cursor=" + cursor));
            seen.addAll(ids(body));
            cursor = body.get("nextCursor").isNull()
                    ? null
                    : body.get("nextCursor").asString();
            page++;
        } while (cursor != null);

        assertThat(new HashSet<>(seen)).hasSameSizeAs(seen);
        assertThat(seen).containsAll(original);
    }

    @Test
    void theStreamDeliversAChangeWithinASecondOfItBeingVisible() {
        String tenant = tenant();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> !listeners
                        .getListenerContainer(ActivityStream.LISTENER_ID)
                        .getAssignedPartitions()
                        .isEmpty());
        Flux<ServerSentEvent<String>> events = http.mutate()
                .responseTimeout(Duration.ofSeconds(60))
                .build()
                .get()
                .uri("/api/crm/streams/activities?tenantId={t}", tenant)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .exchange()
                .expectStatus()
                .isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {})
                .getResponseBody();
        EmailEvent other =
                event(EmailEventType.DELIVERED).tenant(tenant() + "-other").build();
        EmailEvent delivered = event(EmailEventType.DELIVERED).tenant(tenant).build();
        CompletableFuture<ServerSentEvent<String>> received =
                events.filter(e -> "activity".equals(e.event())).next().toFuture();
        CompletableFuture<Instant> receivedAt = received.thenApply(e -> Instant.now());

        publish(other, delivered);
        awaitActivity(delivered.activityId(), "DELIVERED", 1);
        Instant visible = Instant.now();
        ServerSentEvent<String> sse =
                received.orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();

        JsonNode data = WireJson.mapper().readTree(sse.data());
        assertThat(data.get("activityId").asString()).isEqualTo(delivered.activityId());
        assertThat(data.at("/badge/label").asString()).isEqualTo("Delivered");
        assertThat(sse.id()).isEqualTo(data.get("version").asString());
        assertThat(Duration.between(visible, receivedAt.join())).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aTenantTokenSeesOnlyItsTenantOnEveryRoute() {
        EmailEvent theirs = event(EmailEventType.DELIVERED).tenant("globex").build();
        EmailEvent ours = event(EmailEventType.DELIVERED).tenant("acme").build();
        publish(theirs, ours);
        awaitActivity(theirs.activityId(), "DELIVERED", 1);
        awaitActivity(ours.activityId(), "DELIVERED", 1);

        get("/api/crm/activities/" + ours.activityId(), "acme-token")
                .expectStatus()
                .isOk()
                .expectBody(Void.class);
        for (String route : List.of(
                "/api/crm/activities/" + theirs.activityId(),
                "/api/crm/activities/" + theirs.activityId() + "/timeline",
                "/api/crm/activities?tenantId=globex",
                "/api/crm/streams/activities?tenantId=globex")) {
            get(route, "acme-token")
                    .expectStatus()
                    .isNotFound()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.type")
                    .isEqualTo("https://mailtrail.dev/problems/not-found");
        }
    }

    @Test
    void withOneHundredThousandActivitiesListsAndFollowUpsAreServedByTheirIndexes() {
        String prefix = "plan-" + UUID.randomUUID().toString().substring(0, 6);
        db.sql("""
                INSERT INTO activity_state (activity_id, tenant_id, version, status, status_rank, open_tracking,
                    sent_at, first_opened_at, open_count, machine_open_count, human_open_count, click_count,
                    bounced_at, updated_at)
                SELECT $1 || '-' || i, $1 || '-t' || (i % 20), 1,
                       (ARRAY['SENT','DELIVERED','OPENED','BOUNCED'])[1 + i % 4], 2,
                       CASE WHEN i % 10 = 0 THEN 'NOT_TRACKED' ELSE 'TRACKED' END,
                       now() - (i || ' minutes')::interval, CASE WHEN i % 4 = 2 THEN now() END,
                       CASE WHEN i % 4 = 2 THEN 1 ELSE 0 END, i % 3, CASE WHEN i % 8 = 2 THEN 1 ELSE 0 END, 0,
                       CASE WHEN i % 4 = 3 THEN now() END, now()
                FROM generate_series(1, 100000) AS i""")
                .bind(0, prefix)
                .then()
                .then(db.sql("ANALYZE activity_state").then())
                .block(Duration.ofMinutes(2));
        String tenant = prefix + "-t5"; // i % 20 == 5: delivered, tracked, unopened

        String followUp = explain(ActivityQueryController.query(tenant, null, "P3D", null, null, null, NOW))
                .block(Duration.ofSeconds(30));
        // half the opened ones were opened by a person (i % 8 == 2): the strict list is longer
        String strict = explain(ActivityQueryController.query(tenant, null, "P3D", "strict", null, null, NOW))
                .block(Duration.ofSeconds(30));
        String byStatus = explain(ActivityQueryController.query(tenant, List.of("BOUNCED"), null, null, 100, null, NOW))
                .block(Duration.ofSeconds(30));

        assertThat(followUp).containsPattern("activity_state_follow_up\\b").doesNotContain("Seq Scan");
        assertThat(strict).contains("activity_state_follow_up_strict").doesNotContain("Seq Scan");
        assertThat(byStatus).contains("activity_state_listing").doesNotContain("Seq Scan");
        assertThat(ids(list(tenant, "&noOpenFor=P3D&limit=200"))).hasSize(200);
        assertThat(ids(list(tenant, "&noOpenFor=P3D&engagement=strict&limit=200")))
                .hasSize(200);
    }

    @Test
    void badListParametersAreNamedInA400() {
        get("/api/crm/activities?status=LOST&limit=501&noOpenFor=3days&engagement=loose&cursor=%21%21", "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/validation")
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of("tenantId", "status", "noOpenFor", "engagement", "limit", "cursor"))
                .jsonPath("$.errors[3].message")
                .isEqualTo("must be one of [any, strict]");
        get("/api/crm/streams/activities", "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectBody(Void.class);
        get("/api/crm/activities/unknown/timeline", "dev-token")
                .expectStatus()
                .isNotFound()
                .expectBody(Void.class);
    }

    /** The plan PostgreSQL picks for a page of this query. */
    private Mono<String> explain(ActivityListing.Query query) {
        return ActivityListing.statement(query)
                .on(db, "EXPLAIN ")
                .map(row -> row.get(0, String.class))
                .all()
                .collect(Collectors.joining("\n"));
    }

    private String sentAt(String tenant, Instant at) {
        EmailEvent sent = event(EmailEventType.SENT).tenant(tenant).at(at).build();
        publish(sent);
        return sent.activityId();
    }

    private void publish(EmailEvent... events) {
        for (EmailEvent e : events) {
            kafka.send(Topics.EVENTS, e.partitionKey(), WireJson.write(e)).join();
        }
    }

    private JsonNode awaitActivity(String activityId, String status, int events) {
        JsonNode[] json = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            byte[] body = get("/api/crm/activities/" + activityId, "dev-token")
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .returnResult()
                    .getResponseBody();
            json[0] = WireJson.mapper().readTree(body);
            assertThat(json[0].get("status").asString()).isEqualTo(status);
            assertThat(json[0].get("openCount").asLong()
                            + json[0].get("machineOpenCount").asLong()
                            + json[0].get("clickCount").asLong()
                            + json[0].get("machineClickCount").asLong()
                            + (json[0].get("deliveredAt").isNull() ? 0 : 1)
                            + (json[0].get("sentAt").isNull() ? 0 : 1)
                            + (json[0].get("bouncedAt").isNull() ? 0 : 1))
                    .isGreaterThanOrEqualTo(events);
        });
        return json[0];
    }

    private String status(String activityId) {
        byte[] body = get("/api/crm/activities/" + activityId, "dev-token")
                .expectBody()
                .returnResult()
                .getResponseBody();
        return WireJson.mapper().readTree(body).get("status").asString();
    }

    private JsonNode list(String tenant, String query) {
        byte[] body = get("/api/crm/activities?tenantId=" + tenant + query, "dev-token")
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        return WireJson.mapper().readTree(body);
    }

    private static JsonNode item(JsonNode page, String activityId) {
        for (JsonNode item : page.get("items")) {
            if (item.get("activityId").asString().equals(activityId)) {
                return item;
            }
        }
        throw new AssertionError(activityId + " is not on the page");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("items").forEach(item -> ids.add(item.get("activityId").asString()));
        return ids;
    }

    private WebTestClient.ResponseSpec get(String uri, String token) {
        return http.get()
                .uri(uri)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange();
    }

    private static String tenant() {
        return "t-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static <T> List<T> iterable(java.util.Collection<T> values) {
        return List.copyOf(values);
    }
}
