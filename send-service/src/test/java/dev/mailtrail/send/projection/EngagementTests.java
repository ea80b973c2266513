package dev.mailtrail.send.projection;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.ActivityState.LinkClicks;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** The context rules one by one, each with its reason. */
class EngagementTests {

    static final Instant DELIVERED = Instant.parse("2026-11-26T10:00:00.000Z");
    /** Long after delivery: only the burst rule can apply. */
    static final Instant LATER = DELIVERED.plusSeconds(3600);

    static final EngagementRules RULES = EngagementRules.DEFAULTS;

    static EmailEvent click(Instant at, int link) {
        return event(EmailEventType.CLICKED)
                .at(at)
                .link("https://acme.test/" + link)
                .by(Classification.HUMAN)
                .build();
    }

    /** Clicks on links 0, 1, 2, ... {@code stepMillis} apart, from {@code start}. */
    static List<EmailEvent> clicks(Instant start, int links, long stepMillis) {
        List<EmailEvent> clicks = new ArrayList<>();
        for (int i = 0; i < links; i++) {
            clicks.add(click(start.plusMillis(i * stepMillis), i));
        }
        return clicks;
    }

    static List<EmailEvent> inContext(List<EmailEvent> events) {
        return Timelines.hits(events, DELIVERED, RULES);
    }

    static Engagement engagement(List<EmailEvent> events, EngagementRules rules) {
        return Engagement.of(
                events.stream().filter(Engagement::counts).map(Hit::of).toList(),
                DELIVERED,
                Corroboration.observed(OwnTracking.NONE, events),
                rules);
    }

    @Test
    void fiveDistinctLinksWithinOneSecondAreAllMachineClicksOfABurst() {
        // first to last exactly 1 s: still within the window
        List<EmailEvent> burst = clicks(LATER, 5, 250);

        Engagement engagement = engagement(burst, RULES);

        assertThat(inContext(burst)).allSatisfy(e -> {
            assertThat(e.classification()).isEqualTo(Classification.MACHINE);
            assertThat(e.client().reasons()).containsExactly(Engagement.CLICK_BURST);
        });
        assertThat(engagement.clickCount()).isZero();
        assertThat(engagement.machineClickCount()).isEqualTo(5);
        assertThat(engagement.firstClickedAt()).isNull();
        assertThat(engagement.links())
                .hasSize(5)
                .allSatisfy(link -> assertThat(link.machineClicks()).isEqualTo(1));
    }

    @Test
    void fourLinksWithinOneSecondAreNotABurst() {
        List<EmailEvent> clicks = clicks(LATER, 4, 100);

        assertThat(inContext(clicks)).isEqualTo(clicks);
        assertThat(engagement(clicks, RULES).clickCount()).isEqualTo(4);
    }

    @Test
    void fiveLinksSpreadOverTwoSecondsAreNotABurst() {
        List<EmailEvent> clicks = clicks(LATER, 5, 500);

        assertThat(inContext(clicks)).isEqualTo(clicks);
    }

    @Test
    void oneLinkClickedFiveTimesIsNotABurst() {
        List<EmailEvent> clicks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clicks.add(click(LATER.plusMillis(100 * i), 0));
        }

        assertThat(inContext(clicks)).isEqualTo(clicks);
    }

    @Test
    void everyClickInsideABurstIsAMachineAndNoneOutsideIt() {
        List<EmailEvent> burst = new ArrayList<>(clicks(LATER, 5, 100));
        EmailEvent repeatInBurst = click(LATER.plusMillis(450), 2);
        EmailEvent personLater = click(LATER.plusSeconds(30), 0);
        burst.add(repeatInBurst);

        List<EmailEvent> all = new ArrayList<>(burst);
        all.add(personLater);
        Engagement engagement = engagement(all, RULES);

        assertThat(inContext(all))
                .filteredOn(e -> e.classification() == Classification.MACHINE)
                .extracting(EmailEvent::eventId)
                .containsExactlyInAnyOrderElementsOf(
                        burst.stream().map(EmailEvent::eventId).toList());
        assertThat(engagement.clickCount()).isEqualTo(1);
        assertThat(engagement.machineClickCount()).isEqualTo(6);
        assertThat(engagement.firstClickedAt()).isEqualTo(LATER.plusSeconds(30));
        assertThat(engagement.links())
                .startsWith(new LinkClicks("https://acme.test/0", 1, 1))
                .contains(new LinkClicks("https://acme.test/2", 0, 2));
    }

    @Test
    void clicksTheEdgeCalledMachineKeepTheirReasonAndJoinTheBurst() {
        List<EmailEvent> clicks = new ArrayList<>(clicks(LATER, 4, 100));
        clicks.add(event(EmailEventType.CLICKED)
                .at(LATER.plusMillis(400))
                .link("https://acme.test/9")
                .by(Classification.MACHINE, "scanner_network")
                .build());

        assertThat(inContext(clicks))
                .extracting(e -> e.client().reasons())
                .containsExactly(
                        List.of(Engagement.CLICK_BURST),
                        List.of(Engagement.CLICK_BURST),
                        List.of(Engagement.CLICK_BURST),
                        List.of(Engagement.CLICK_BURST),
                        List.of("scanner_network", Engagement.CLICK_BURST));
    }

    @Test
    void anUnknownClickOneSecondAfterDeliveryIsTooSoon() {
        EmailEvent click = event(EmailEventType.CLICKED)
                .at(DELIVERED.plusSeconds(1))
                .link("https://acme.test/a")
                .by(Classification.UNKNOWN)
                .build();

        EmailEvent judged = inContext(List.of(click)).get(0);

        assertThat(judged.classification()).isEqualTo(Classification.MACHINE);
        assertThat(judged.client().reasons()).containsExactly(Engagement.TOO_SOON_AFTER_DELIVERY);
        assertThat(judged.eventId()).isEqualTo(click.eventId());
        assertThat(engagement(List.of(click), RULES))
                .extracting(Engagement::clickCount, Engagement::machineClickCount)
                .containsExactly(0L, 1L);
    }

    @Test
    void aProviderOpenWithoutClientDataRightAfterDeliveryIsTooSoon() {
        EmailEvent open =
                event(EmailEventType.OPENED).at(DELIVERED.plusMillis(800)).build();

        EmailEvent judged = inContext(List.of(open)).get(0);

        assertThat(open.client()).isNull();
        assertThat(judged.client())
                .isEqualTo(new EmailEvent.Client(
                        null, null, Classification.MACHINE, List.of(Engagement.TOO_SOON_AFTER_DELIVERY)));
    }

    @Test
    void aHumanWithoutAReasonIsTooSoonInsideTheWindowAndCountsFromItsEnd() {
        EmailEvent inside = event(EmailEventType.OPENED)
                .at(DELIVERED.plusMillis(1999))
                .by(Classification.HUMAN)
                .build();
        EmailEvent atTheEnd = event(EmailEventType.OPENED)
                .at(DELIVERED.plusSeconds(2))
                .by(Classification.HUMAN)
                .build();

        assertThat(inContext(List.of(inside, atTheEnd)))
                .extracting(EmailEvent::classification)
                .containsExactly(Classification.MACHINE, Classification.HUMAN);
    }

    @Test
    void gmailImageProxyOpensInsideTheWindowStayHuman() {
        EmailEvent open = event(EmailEventType.OPENED)
                .at(DELIVERED.plusMillis(500))
                .by(Classification.HUMAN, "gmail_image_proxy")
                .build();

        assertThat(inContext(List.of(open))).containsExactly(open);
        assertThat(engagement(List.of(open), RULES).openCount()).isEqualTo(1);
    }

    @Test
    void machineHitsInsideTheWindowKeepTheEdgesReasonsOnly() {
        EmailEvent prefetch = event(EmailEventType.OPENED)
                .at(DELIVERED.plusMillis(500))
                .by(Classification.MACHINE, "apple_mpp")
                .build();

        assertThat(inContext(List.of(prefetch))).containsExactly(prefetch);
    }

    @Test
    void aHitBeforeTheRecordedDeliveryIsAGatewayScanningBeforeItAccepts() {
        EmailEvent early = event(EmailEventType.CLICKED)
                .at(DELIVERED.minusSeconds(20))
                .link("https://acme.test/a")
                .by(Classification.UNKNOWN)
                .build();

        assertThat(inContext(List.of(early)).get(0).client().reasons())
                .containsExactly(Engagement.TOO_SOON_AFTER_DELIVERY);
    }

    @Test
    void withoutADeliveryNoHitIsTooSoon() {
        EmailEvent open = event(EmailEventType.OPENED)
                .at(DELIVERED)
                .by(Classification.UNKNOWN)
                .build();

        assertThat(Timelines.hits(List.of(open), null, RULES)).containsExactly(open);
    }

    @Test
    void aBurstRightAfterDeliveryHasBothReasons() {
        List<EmailEvent> clicks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            clicks.add(event(EmailEventType.CLICKED)
                    .at(DELIVERED.plusMillis(100 * i))
                    .link("https://acme.test/" + i)
                    .build());
        }

        assertThat(inContext(clicks))
                .allSatisfy(e -> assertThat(e.client().reasons())
                        .containsExactly(Engagement.CLICK_BURST, Engagement.TOO_SOON_AFTER_DELIVERY));
    }

    @Test
    void theRulesAreConfigurable() {
        EngagementRules strict = new EngagementRules(Duration.ofSeconds(30), 3, Duration.ofSeconds(2));
        List<EmailEvent> clicks = clicks(LATER, 3, 1000);
        EmailEvent open =
                event(EmailEventType.OPENED).at(DELIVERED.plusSeconds(20)).build();

        assertThat(Timelines.hits(clicks, DELIVERED, strict))
                .allSatisfy(e -> assertThat(e.client().reasons()).containsExactly(Engagement.CLICK_BURST));
        assertThat(Timelines.hits(List.of(open), DELIVERED, strict).get(0).classification())
                .isEqualTo(Classification.MACHINE);
        assertThat(inContext(clicks)).isEqualTo(clicks);
    }

    @Test
    void duplicatesCountOnceAndOtherEventsAreIgnored() {
        EmailEvent open = event(EmailEventType.OPENED).at(LATER).build();
        EmailEvent sent = event(EmailEventType.SENT).at(LATER).build();

        assertThat(inContext(List.of(open, sent, open))).containsExactly(open);
        assertThat(engagement(List.of(open, sent, open), RULES).openCount()).isEqualTo(1);
    }

    @Test
    void theDefaultsBindAndEnvironmentVariablesOverrideThem() {
        Binder none = new Binder(new MapConfigurationPropertySource(Map.of()));
        Binder environment = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.<String, Object>of(
                        "MAILTRAIL_PROJECTION_SCANNER_WINDOW",
                        "5s",
                        "MAILTRAIL_PROJECTION_BURST_LINKS",
                        "4",
                        "MAILTRAIL_PROJECTION_BURST_WINDOW",
                        "1500ms"))));

        assertThat(none.bindOrCreate("mailtrail.projection", EngagementRules.class))
                .isEqualTo(EngagementRules.DEFAULTS)
                .isEqualTo(new EngagementRules(Duration.ofSeconds(2), 5, Duration.ofSeconds(1)));
        assertThat(environment.bindOrCreate("mailtrail.projection", EngagementRules.class))
                .isEqualTo(new EngagementRules(Duration.ofSeconds(5), 4, Duration.ofMillis(1500)));
    }

    @Test
    void thePayloadCapIs500UnlessTheEnvironmentSaysOtherwise() {
        Binder none = new Binder(new MapConfigurationPropertySource(Map.of()));
        Binder environment = new Binder(ConfigurationPropertySources.from(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                Map.<String, Object>of("MAILTRAIL_PROJECTION_ENGAGEMENT_PAYLOAD_CAP", "50"))));

        assertThat(none.bindOrCreate("mailtrail.projection", EngagementStorage.class)
                        .engagementPayloadCap())
                .isEqualTo(500);
        assertThat(environment
                        .bindOrCreate("mailtrail.projection", EngagementStorage.class)
                        .engagementPayloadCap())
                .isEqualTo(50);
    }
}
