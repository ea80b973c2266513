package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static dev.mailtrail.send.EmailEvents.key;
import static dev.mailtrail.send.EmailEvents.queued;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.ActivityStatus;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Issue 20's "no open lost, none doubled" on a real broker and PostgreSQL: one person's prefetch and open through
 * our pixel stay two facts, and with both our tracking and Resend's on, the counts are our hits while Resend's are
 * listed as corroboration, whatever arrives first.
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
class CorroborationIntegrationTests {

    static final Duration PATIENCE = ProjectedStates.PATIENCE;
    static final Instant T0 = Instant.parse("2026-11-26T10:00:00.000Z");
    static final String LINK = "https://acme.test/pricing";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    ActivityStateRepository states;

    @Test
    void aPrefetchThenThePersonsOpenAreOneMachineAndOneHumanOpenAndWithBothTrackingsOnTheCountsAreOurHits() {
        String activityId = "act-" + UUID.randomUUID();
        // as the ingest publishes them: the prefetch and the open 5 s later from one client carry two ids
        EmailEvent prefetch = ours(activityId, EmailEventType.OPENED, T0.plusSeconds(60))
                .id("open:prefetch-" + activityId)
                .by(Classification.MACHINE, "prefetch_header")
                .build();
        EmailEvent open = ours(activityId, EmailEventType.OPENED, T0.plusSeconds(65))
                .id("open:person-" + activityId)
                .by(Classification.HUMAN)
                .build();
        EmailEvent click = ours(activityId, EmailEventType.CLICKED, T0.plusSeconds(90))
                .id("click:person-" + activityId)
                .link(LINK)
                .by(Classification.HUMAN)
                .build();
        EmailEvent resendOpen = event(EmailEventType.OPENED)
                .activity(activityId)
                .at(T0.plusSeconds(66))
                .build();
        EmailEvent resendClick = event(EmailEventType.CLICKED)
                .activity(activityId)
                .link(LINK)
                .at(T0.plusSeconds(91))
                .by(Classification.HUMAN)
                .build();
        List<EmailEvent> distinct = List.of(
                queued(activityId, T0, OwnTracking.of(true, true), Map.of()),
                event(EmailEventType.SENT)
                        .activity(activityId)
                        .at(T0.plusMillis(500))
                        .build(),
                event(EmailEventType.DELIVERED)
                        .activity(activityId)
                        .at(T0.plusSeconds(1))
                        .build(),
                prefetch,
                open,
                click,
                resendOpen,
                resendClick);
        List<EmailEvent> published = new ArrayList<>(distinct);
        // the person's client fetched the pixel again within the window: the same fact, published again
        published.add(open);

        EmailEvents.publish(kafka, published);

        ActivityState state = awaitStateOf(activityId, distinct);
        assertThat(List.of(state.openCount(), state.machineOpenCount(), state.clickCount(), state.machineClickCount()))
                .containsExactly(1L, 1L, 1L, 0L);
        assertThat(state.ownTracking()).isEqualTo(new OwnTracking(true, true, 1, 1));
        assertThat(state.firstOpenedAt()).isEqualTo(T0.plusSeconds(65));
        assertThat(state.status()).isEqualTo(ActivityStatus.CLICKED);
        JsonNode timeline = timeline(activityId);
        assertThat(timeline.get("events"))
                .filteredOn(
                        e -> List.of("opened", "clicked").contains(e.get("type").asString()))
                .extracting(
                        e -> e.get("eventId").asString() + " " + e.get("source").asString() + " "
                                + e.get("classification").asString())
                .containsExactly(
                        prefetch.eventId() + " tracking_pixel machine",
                        open.eventId() + " tracking_pixel human",
                        resendOpen.eventId() + " resend_webhook unknown",
                        click.eventId() + " tracking_redirect human",
                        resendClick.eventId() + " resend_webhook human");
        get(activityId)
                .jsonPath("$.ownTracking.corroboratingOpens")
                .isEqualTo(1)
                .jsonPath("$.openCount")
                .isEqualTo(1);
    }

    @Test
    void resendsOpensCountedBeforeOurPixelWasKnownAreRecountedAsCorroborationByItsFirstHit() {
        String activityId = "act-" + UUID.randomUUID();
        // events from before the declaration existed: nothing says our pixel is in the email
        List<EmailEvent> older = List.of(
                event(EmailEventType.DELIVERED).activity(activityId).at(T0).build(),
                event(EmailEventType.OPENED)
                        .activity(activityId)
                        .at(T0.plusSeconds(60))
                        .build(),
                event(EmailEventType.OPENED)
                        .activity(activityId)
                        .at(T0.plusSeconds(600))
                        .build());
        EmailEvents.publish(kafka, older);
        await().atMost(PATIENCE)
                .until(() -> states.find(key(activityId))
                                .blockOptional()
                                .map(ActivityState::openCount)
                                .orElse(0L)
                        == 2);

        EmailEvent ourOpen = ours(activityId, EmailEventType.OPENED, T0.plusSeconds(61))
                .by(Classification.HUMAN)
                .build();
        EmailEvents.publish(kafka, List.of(ourOpen));

        List<EmailEvent> all = new ArrayList<>(older);
        all.add(ourOpen);
        ActivityState state = awaitStateOf(activityId, all);
        assertThat(state.openCount()).isEqualTo(1);
        assertThat(state.ownTracking()).isEqualTo(new OwnTracking(true, false, 2, 0));
        assertThat(state.lastOpenedAt()).isEqualTo(T0.plusSeconds(61));
    }

    @Test
    void whenOurLastCountedClickJoinsABurstTheLastCountedIsOursBeforeItNotResendsCorroboratingOne() {
        String activityId = "act-" + UUID.randomUUID();
        List<EmailEvent> events = new ArrayList<>(List.of(
                queued(activityId, T0.minusSeconds(1), OwnTracking.of(false, true), Map.of()),
                event(EmailEventType.DELIVERED).activity(activityId).at(T0).build(),
                ours(activityId, EmailEventType.CLICKED, T0.plusSeconds(60))
                        .link(LINK + 0)
                        .by(Classification.HUMAN)
                        .build(),
                // Resend's record of a click between: corroboration, never the last counted click
                event(EmailEventType.CLICKED)
                        .activity(activityId)
                        .at(T0.plusSeconds(90))
                        .link(LINK + 9)
                        .by(Classification.HUMAN)
                        .build()));
        for (int i = 1; i <= 4; i++) {
            events.add(ours(activityId, EmailEventType.CLICKED, T0.plusMillis(120_000 + 100 * (i - 1)))
                    .link(LINK + i)
                    .by(Classification.HUMAN)
                    .build());
        }
        EmailEvents.publish(kafka, events);
        await().atMost(PATIENCE)
                .until(() -> states.find(key(activityId))
                                .blockOptional()
                                .map(ActivityState::clickCount)
                                .orElse(0L)
                        == 5);

        // the fifth link within a second: a scanner; the window around it is read, and the nearest click before it
        EmailEvent fifth = ours(activityId, EmailEventType.CLICKED, T0.plusMillis(120_400))
                .link(LINK + 5)
                .by(Classification.HUMAN)
                .build();
        events.add(fifth);
        EmailEvents.publish(kafka, List.of(fifth));

        ActivityState state = awaitStateOf(activityId, events);
        assertThat(List.of(
                        state.clickCount(),
                        state.machineClickCount(),
                        state.ownTracking().corroboratingClicks()))
                .containsExactly(1L, 5L, 1L);
        assertThat(state.lastClickedAt()).isEqualTo(T0.plusSeconds(60));
    }

    @Test
    void resendsOpensBesideOurPixelTakeTheirPlaceUnderTheActivitysPayloadCap() {
        String activityId = "act-" + UUID.randomUUID();
        List<EmailEvent> opens = new ArrayList<>();
        // the default cap (500) and then some: Resend's pixel fetched again and again
        for (int i = 0; i < 503; i++) {
            opens.add(event(EmailEventType.OPENED)
                    .activity(activityId)
                    .at(T0.plusSeconds(60 + i))
                    .build());
        }
        EmailEvents.publish(kafka, List.of(queued(activityId, T0, OwnTracking.of(true, false), Map.of())));
        await().atMost(PATIENCE)
                .until(() -> states.find(key(activityId)).blockOptional().isPresent());
        EmailEvents.publish(kafka, opens.subList(0, 500));
        await().atMost(PATIENCE)
                .until(() -> states.find(key(activityId))
                                .blockOptional()
                                .map(s -> s.ownTracking().corroboratingOpens())
                                .orElse(0L)
                        == 500);

        // in later batches, when none of them is in the counts
        EmailEvents.publish(kafka, opens.subList(500, 503));

        await().atMost(PATIENCE)
                .until(() -> states.find(key(activityId))
                                .blockOptional()
                                .map(s -> s.ownTracking().corroboratingOpens())
                                .orElse(0L)
                        == 503);
        assertThat(states.find(key(activityId)).block(PATIENCE).openCount()).isZero();
        assertThat(timeline(activityId).at("/unlisted/opens").asLong()).isEqualTo(3);
    }

    /** A hit of our own tracking: an open by our pixel, a click by our redirect. */
    private static EmailEvents ours(String activityId, EmailEventType type, Instant at) {
        return event(type)
                .activity(activityId)
                .at(at)
                .from(type == EmailEventType.CLICKED ? EventSource.TRACKING_REDIRECT : EventSource.TRACKING_PIXEL);
    }

    private ActivityState awaitStateOf(String activityId, List<EmailEvent> events) {
        return ProjectedStates.awaitStateOf(states, key(activityId), events);
    }

    private WebTestClient.BodyContentSpec get(String activityId) {
        return http.get()
                .uri("/api/crm/activities/{id}", activityId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer dev-token")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody();
    }

    private JsonNode timeline(String activityId) {
        return ProjectedStates.timeline(http, activityId, "", 64 * 1024);
    }
}
