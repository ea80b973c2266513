package dev.mailtrail.send.query;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.TestDatabase;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
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

/** The engagement report over a real broker and PostgreSQL, fed through the projection's rollups. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "mailtrail.api-tokens=dev-token,acme-token:acme"})
@AutoConfigureWebTestClient(timeout = "30s")
@EmbeddedKafka(partitions = 2, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class ReportIntegrationTests {

    static final Instant DAY = Instant.parse("2026-11-20T09:00:00.000Z");
    static final Map<String, String> ALPHA = Map.of("campaign", "alpha");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    /**
     * In campaign alpha: 6 sent, 4 delivered, 3 opened (2 by a person), 1 only by machines, 2 clicked (1 by a person),
     * 2 bounced, 1 complained; one more delivered without the tag, one in campaign beta opened by a person the next
     * day. Every event twice, shuffled.
     */
    @Test
    void theReportEqualsTheModelAfterDuplicatesAndReordering() {
        String tenant = tenant();
        List<EmailEvent> events = new ArrayList<>();
        events.addAll(activity(tenant, ALPHA, DAY, true, Classification.HUMAN, Classification.HUMAN, false));
        events.addAll(activity(tenant, ALPHA, DAY, true, null, null, false));
        events.addAll(activity(tenant, ALPHA, DAY, true, Classification.HUMAN, null, true));
        events.addAll(activity(tenant, ALPHA, DAY, true, Classification.MACHINE, null, false));
        events.addAll(activity(tenant, ALPHA, DAY, false, null, null, false));
        events.addAll(activity(tenant, ALPHA, DAY, false, null, null, false));
        events.addAll(activity(tenant, Map.of(), DAY, true, null, null, false));
        events.addAll(activity(
                tenant,
                Map.of("campaign", "beta"),
                DAY.plus(Duration.ofDays(1)),
                true,
                Classification.HUMAN,
                null,
                false));
        List<EmailEvent> deliveries = new ArrayList<>(events);
        deliveries.addAll(events);
        Collections.shuffle(deliveries, new Random(26));
        EmailEvents.publish(kafka, deliveries);

        Map<String, Object> alpha = figures(6, 4, 2, 1, 3, 2, 1, 2, 1);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(group(report(tenant, "tag:campaign"), "alpha"))
                        .isEqualTo(withRates(alpha, 4 / 6.0, 0.75, 0.5, 0.5, 2 / 3.0)));
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(counts(report(tenant, "none").get("totals")))
                        .isEqualTo(figures(8, 6, 2, 1, 4, 3, 1, 2, 1)));

        // the same events once more: all duplicates, nothing moves
        double duplicates = duplicates();
        EmailEvents.publish(kafka, events);
        await().atMost(Duration.ofSeconds(60)).until(() -> duplicates() >= duplicates + events.size());

        JsonNode byTag = report(tenant, "tag:campaign");
        assertThat(group(byTag, "alpha")).isEqualTo(withRates(alpha, 4 / 6.0, 0.75, 0.5, 0.5, 2 / 3.0));
        assertThat(counts(group(byTag, "beta"))).isEqualTo(figures(1, 1, 0, 0, 1, 1, 0, 0, 0));
        assertThat(counts(group(byTag, null))).isEqualTo(figures(1, 1, 0, 0, 0, 0, 0, 0, 0));
        assertThat(counts(byTag.get("totals"))).isEqualTo(figures(8, 6, 2, 1, 4, 3, 1, 2, 1));

        JsonNode byDay = report(tenant, "day");
        assertThat(keys(byDay)).containsExactly("2026-11-20", "2026-11-21");
        assertThat(counts(group(byDay, "2026-11-21"))).isEqualTo(figures(1, 1, 0, 0, 1, 1, 0, 0, 0));
        JsonNode none = report(tenant, "none");
        assertThat(keys(none)).containsExactly("all");
        JsonNode firstDay = json(
                get("/api/crm/reports/engagement?tenantId=" + tenant + "&from=2026-11-20&to=2026-11-20", "dev-token")
                        .expectStatus()
                        .isOk());
        assertThat(counts(firstDay.get("totals"))).isEqualTo(figures(7, 5, 2, 1, 3, 2, 1, 2, 1));
        JsonNode byLink = report(tenant, "link");
        assertThat(keys(byLink)).containsExactly("https://acme.test/pricing");
        assertThat(group(byLink, "https://acme.test/pricing").get("clicked")).isEqualTo(2L);
    }

    @Test
    void aTenantWithNothingHasZeroCountsAndNullRates() {
        JsonNode none = report(tenant(), "none");

        assertThat(counts(none.get("totals"))).isEqualTo(figures(0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertThat(none.get("totals").get("openRate").isNull()).isTrue();
        assertThat(none.get("totals").get("deliveryRate").isNull()).isTrue();
        assertThat(report(tenant(), "day").get("groups")).isEmpty();
    }

    @Test
    void badParametersAreNamedAndAnotherTenantIsUnknown() {
        get("/api/crm/reports/engagement?from=20-11-2026&to=yesterday&groupBy=tag:bad%20name", "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("https://mailtrail.dev/problems/validation")
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of("tenantId", "from", "to", "groupBy"));
        get("/api/crm/reports/engagement?tenantId=acme&from=2026-11-21&to=2026-11-20", "dev-token")
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("to");
        get("/api/crm/reports/engagement?tenantId=globex", "acme-token")
                .expectStatus()
                .isNotFound();
        get("/api/crm/reports/engagement?tenantId=acme", "acme-token")
                .expectStatus()
                .isOk();
        get("/api/crm/reports/engagement?tenantId=acme", "wrong-token")
                .expectStatus()
                .isUnauthorized();
        get("/api/crm/caller", "acme-token").expectBody().jsonPath("$.tenantId").isEqualTo("acme");
        get("/api/crm/caller", "dev-token").expectBody().jsonPath("$.tenantId").doesNotExist();
    }

    @Test
    void withTheRollupsOfOneHundredThousandActivitiesEveryGroupingIsServedByTheKeyIndex() {
        String tenant = "plan-" + UUID.randomUUID().toString().substring(0, 6);
        // 100,000 activities of 20 tenants over a year: per tenant and day, the all row, one of 8 campaigns and a link
        db.sql("""
                INSERT INTO engagement_rollup (tenant_id, dimension, value, day, sent, delivered, opened, clicked)
                SELECT $1 || '-t' || (i % 20), d.dimension, d.value, DATE '2026-01-01' + (i / 20) % 365,
                       count(*), count(*), count(*) FILTER (WHERE i % 2 = 0), count(*) FILTER (WHERE i % 3 = 0)
                FROM generate_series(1, 100000) AS i,
                     LATERAL (VALUES ('all', ''), ('tag:campaign', 'c' || i % 8), ('link', 'https://acme.test/' || i % 5))
                         AS d (dimension, value)
                GROUP BY 1, 2, 3, 4""")
                .bind(0, tenant)
                .then()
                .then(db.sql("ANALYZE engagement_rollup").then())
                .block(Duration.ofMinutes(2));
        String one = tenant + "-t5";
        for (String groupBy : List.of("none", "day", "tag:campaign", "link")) {
            EngagementReport.Query query =
                    EngagementReport.query(one, "2026-03-01", "2026-05-31", groupBy, new ArrayList<>());
            ActivityListing.Statement grouped = EngagementReport.groups(query);
            String plan = explain(grouped != null ? grouped : EngagementReport.statement(query, "all", null));

            assertThat(plan).as(groupBy).contains("engagement_rollup_key").doesNotContain("Seq Scan");
        }
        assertThat(report(one, "none").get("totals").get("sent").asLong()).isEqualTo(5000);
    }

    private String explain(ActivityListing.Statement statement) {
        return statement
                .on(db, "EXPLAIN ")
                .map(row -> row.get(0, String.class))
                .all()
                .collect(Collectors.joining("\n"))
                .block(Duration.ofSeconds(30));
    }

    /**
     * One activity's provider events (each carrying the caller's tags, as Resend's do): sent, then delivered or
     * bounced; an open and a click an hour later when classified (null: none); a complaint.
     */
    private static List<EmailEvent> activity(
            String tenant,
            Map<String, String> tags,
            Instant at,
            boolean delivered,
            Classification open,
            Classification click,
            boolean complained) {
        String activity = "act-" + UUID.randomUUID();
        List<EmailEvent> events = new ArrayList<>();
        events.add(on(tenant, activity, tags, EmailEventType.SENT, at).build());
        events.add(on(tenant, activity, tags, delivered ? EmailEventType.DELIVERED : EmailEventType.BOUNCED, at)
                .bounce(delivered ? null : "Permanent", "no such user")
                .build());
        if (open != null) {
            events.add(on(tenant, activity, tags, EmailEventType.OPENED, at.plusSeconds(3600))
                    .by(open, open == Classification.MACHINE ? "apple_mpp" : "gmail_image_proxy")
                    .build());
        }
        if (click != null) {
            events.add(on(tenant, activity, tags, EmailEventType.CLICKED, at.plusSeconds(3700))
                    .by(click, "gmail_image_proxy")
                    .link("https://acme.test/pricing")
                    .build());
        } else if (open == null && delivered && tags.equals(ALPHA)) {
            // Resend's open and click: no client data, unknown (counted, but no person vouched for)
            events.add(on(tenant, activity, tags, EmailEventType.OPENED, at.plusSeconds(3600))
                    .build());
            events.add(on(tenant, activity, tags, EmailEventType.CLICKED, at.plusSeconds(3700))
                    .link("https://acme.test/pricing")
                    .build());
        }
        if (complained) {
            events.add(on(tenant, activity, tags, EmailEventType.COMPLAINED, at.plusSeconds(7200))
                    .build());
        }
        return events;
    }

    private static EmailEvents on(
            String tenant, String activity, Map<String, String> tags, EmailEventType type, Instant at) {
        return event(type).tenant(tenant).activity(activity).tags(tags).at(at);
    }

    private double duplicates() {
        return meters.find("mailtrail.projection.events").tag("outcome", "duplicate").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }

    /** sent, delivered, bounced, complained, opened, humanOpened, machineOnlyOpened, clicked, humanClicked. */
    private static Map<String, Object> figures(long... n) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("sent", n[0]);
        f.put("delivered", n[1]);
        f.put("bounced", n[2]);
        f.put("complained", n[3]);
        f.put("failed", 0L);
        f.put("suppressed", 0L);
        f.put("opened", n[4]);
        f.put("humanOpened", n[5]);
        f.put("machineOnlyOpened", n[6]);
        f.put("clicked", n[7]);
        f.put("humanClicked", n[8]);
        f.put("replied", 0L);
        f.put("unsubscribed", 0L);
        return f;
    }

    private static Map<String, Object> withRates(
            Map<String, Object> counts, double delivery, double open, double humanOpen, double click, double cto) {
        Map<String, Object> g = new LinkedHashMap<>(counts);
        g.put("deliveryRate", delivery);
        g.put("openRate", open);
        g.put("humanOpenRate", humanOpen);
        g.put("clickRate", click);
        g.put("clickToOpenRate", cto);
        g.put("replyRate", 0.0);
        return g;
    }

    /** A group's counts and rates as numbers (key left out). */
    private static Map<String, Object> group(JsonNode report, String key) {
        for (JsonNode g : report.get("groups")) {
            if (key == null ? g.get("key").isNull() : key.equals(g.get("key").asString())) {
                Map<String, Object> figures = new LinkedHashMap<>(counts(g));
                for (String rate : List.of(
                        "deliveryRate", "openRate", "humanOpenRate", "clickRate", "clickToOpenRate", "replyRate")) {
                    figures.put(rate, g.get(rate).isNull() ? null : g.get(rate).asDouble());
                }
                return figures;
            }
        }
        throw new AssertionError("no group " + key + " in " + report);
    }

    private static Map<String, Object> counts(Map<String, Object> group) {
        Map<String, Object> counts = new LinkedHashMap<>(group);
        counts.keySet().removeIf(k -> k.endsWith("Rate"));
        return counts;
    }

    private static Map<String, Object> counts(JsonNode group) {
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String figure : figures(0, 0, 0, 0, 0, 0, 0, 0, 0).keySet()) {
            counts.put(figure, group.get(figure).asLong());
        }
        return counts;
    }

    private static List<String> keys(JsonNode report) {
        List<String> keys = new ArrayList<>();
        report.get("groups").forEach(g -> keys.add(g.get("key").asString()));
        return keys;
    }

    private JsonNode report(String tenant, String groupBy) {
        return json(get("/api/crm/reports/engagement?tenantId=" + tenant + "&groupBy=" + groupBy, "dev-token")
                .expectStatus()
                .isOk());
    }

    private static JsonNode json(WebTestClient.ResponseSpec spec) {
        return WireJson.mapper().readTree(spec.expectBody().returnResult().getResponseBody());
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
}
