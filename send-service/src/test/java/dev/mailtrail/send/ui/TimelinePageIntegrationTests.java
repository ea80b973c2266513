package dev.mailtrail.send.ui;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.Chromium;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The timeline page at / in Debian's headless Chromium, against a running send-service fed through Kafka. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=page-token",
            "mailtrail.outbox.poll-interval=200ms",
            "mailtrail.projection.engagement-payload-cap=3"
        })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class TimelinePageIntegrationTests {

    static final Instant NOW = Instant.now();
    static final String TENANT = "page-" + UUID.randomUUID().toString().substring(0, 8);

    /** Delays of one activity: more than a page of the page's timeline. */
    static final int BUSY_DELAYS = 120;

    static ChromeDriver browser;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @BeforeAll
    static void startBrowser() {
        assumeTrue(Chromium.installed(), Chromium.MISSING);
        browser = Chromium.start();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Test
    void aSalesRepSeesBadgesFollowUpsTimelinesAndLiveChanges() throws Exception {
        Map<String, String> expectedBadges = seed();
        browser.get("http://127.0.0.1:" + port + "/");

        signIn();
        awaitRows(expectedBadges.size());

        // every state's badge, its note, and the exact time for pointers and screen readers alike
        expectedBadges.forEach((activity, badge) -> {
            WebElement row = row(activity);
            assertThat(row.findElement(By.cssSelector(".badge")).getText())
                    .as(activity)
                    .isEqualTo(badge);
            WebElement time = row.findElement(By.tagName("time"));
            assertThat(time.getAttribute("title")).matches("\\d{1,2} \\w{3} \\d{4}, \\d\\d:\\d\\d:\\d\\d UTC");
            assertThat(time.getAttribute("aria-label"))
                    .startsWith(time.getText() + ", ")
                    .endsWith(" UTC");
        });
        assertThat(row("opened").findElement(By.tagName("time")).getText()).isEqualTo("Opened 2h ago");
        assertThat(row("replied").findElement(By.tagName("time")).getText()).isEqualTo("Replied 3h ago");

        // the tenant's suppression list: the hard bounce's, the complaint's and Resend's suppressed address, written
        // with their facts (committed with the states whose badges were just read)
        await(() ->
                browser.findElements(By.cssSelector("#suppressions tbody tr")).size() == 3);
        assertThat(browser.findElements(By.cssSelector("#suppressions tbody tr")))
                .extracting(WebElement::getText)
                .satisfiesExactly(
                        bounced -> assertThat(bounced).startsWith("bounced@example.com hard bounce"),
                        complained -> assertThat(complained).startsWith("complained@example.com complaint"),
                        provider -> assertThat(provider).startsWith("suppressed@example.com provider"));
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "timeline-page.png"), browser.getScreenshotAs(OutputType.BYTES));

        // a row opens its timeline in plain words
        row("bounced").click();
        await(() -> browser.findElement(By.id("timeline")).isDisplayed());
        assertThat(browser.findElement(By.cssSelector("#timeline ol")).getText())
                .contains("Bounced permanently: mailbox unknown");
        assertThat(browser.findElement(By.id("timeline-more")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("unlisted")).isDisplayed()).isFalse();

        // a long timeline comes in pages; the opens past the payload cap (3 here) are counted, not listed
        row("busy").click();
        await(() -> browser.findElement(By.id("timeline-more")).isDisplayed());
        assertThat(timelineEntries()).hasSize(100);
        assertThat(browser.findElement(By.id("unlisted")).getText())
                .isEqualTo("… and 2 more opens, counted but not listed");
        browser.findElement(By.id("timeline-more")).click();
        await(() -> timelineEntries().size() == 1 + BUSY_DELAYS + 3);
        assertThat(browser.findElement(By.id("timeline-more")).isDisplayed()).isFalse();
        assertThat(timelineEntries().get(timelineEntries().size() - 1).getText())
                .startsWith("Opened");

        // live: the stream turns Delivered into Opened without a reload
        await(() -> browser.findElement(By.id("live")).isDisplayed());
        publish(event(EmailEventType.OPENED)
                .activity(id("delivered"))
                .tenant(TENANT)
                .at(NOW.minusSeconds(60))
                .by(Classification.HUMAN)
                .build());
        await(() ->
                row("delivered").findElement(By.cssSelector(".badge")).getText().equals("Opened"));

        // the follow-up preset: sent three days ago or more, nobody opened, could have been seen opening
        browser.findElement(By.id("follow-up")).click();
        awaitRows(2);
        assertThat(rows())
                .extracting(r -> r.getAttribute("data-activity-id"))
                .containsExactlyInAnyOrder(id("sent"), id("auto-open"));
        Files.write(Path.of("target", "timeline-page-follow-up.png"), browser.getScreenshotAs(OutputType.BYTES));

        // strict: an open of unknown origin (Resend's) no longer takes an email off the list
        browser.findElement(By.id("strict")).click();
        awaitRows(3);
        assertThat(rows())
                .extracting(r -> r.getAttribute("data-activity-id"))
                .containsExactlyInAnyOrder(id("sent"), id("auto-open"), id("unverified"));
    }

    private Map<String, String> seed() {
        Instant fourDaysAgo = NOW.minus(Duration.ofDays(4));
        Map<String, String> badges = new LinkedHashMap<>();
        badges.put("queued", "Queued");
        publish(at("queued", EmailEventType.QUEUED, NOW.minusSeconds(30))
                .from(EventSource.SEND_SERVICE)
                .build());
        badges.put("sent", "Sent");
        publish(at("sent", EmailEventType.SENT, fourDaysAgo).build());
        badges.put("delayed", "Delayed");
        publish(at("delayed", EmailEventType.DELIVERY_DELAYED, NOW.minusSeconds(600))
                .build());
        badges.put("delivered", "Delivered");
        publish(at("delivered", EmailEventType.DELIVERED, NOW.minusSeconds(3600))
                .build());
        badges.put("auto-open", "Delivered · auto-open");
        publish(
                at("auto-open", EmailEventType.DELIVERED, fourDaysAgo).build(),
                at("auto-open", EmailEventType.OPENED, fourDaysAgo.plusSeconds(5))
                        .by(Classification.MACHINE)
                        .build());
        badges.put("not-tracked", "Delivered · opens not tracked");
        publish(
                at("not-tracked", EmailEventType.QUEUED, fourDaysAgo.minusSeconds(2))
                        .from(EventSource.SEND_SERVICE)
                        .tags(Map.of(OpenTracking.TAG, "NOT_TRACKED"))
                        .build(),
                at("not-tracked", EmailEventType.DELIVERED, fourDaysAgo).build());
        badges.put("unverified", "Opened · unverified open");
        publish(
                at("unverified", EmailEventType.DELIVERED, fourDaysAgo).build(),
                at("unverified", EmailEventType.OPENED, fourDaysAgo.plusSeconds(3600))
                        .build());
        badges.put("opened", "Opened");
        publish(
                at("opened", EmailEventType.DELIVERED, NOW.minusSeconds(3 * 3600))
                        .build(),
                at("opened", EmailEventType.OPENED, NOW.minusSeconds(2 * 3600 + 60))
                        .by(Classification.HUMAN)
                        .build());
        badges.put("clicked", "Clicked");
        publish(at("clicked", EmailEventType.CLICKED, NOW.minusSeconds(300))
                .link("https://acme.test/pricing")
                .build());
        badges.put("replied", "Replied");
        publish(
                at("replied", EmailEventType.DELIVERED, NOW.minusSeconds(4 * 3600))
                        .build(),
                at("replied", EmailEventType.REPLIED, NOW.minusSeconds(3 * 3600 + 60))
                        .id("reply:inb-" + TENANT)
                        .from(EventSource.SEND_SERVICE)
                        .reply(null, "inb-" + TENANT)
                        .build());
        badges.put("bounced", "Bounced");
        publish(at("bounced", EmailEventType.BOUNCED, fourDaysAgo)
                .bounce("Permanent", "mailbox unknown")
                .build());
        badges.put("complained", "Complained");
        publish(at("complained", EmailEventType.COMPLAINED, NOW.minusSeconds(86_400))
                .build());
        badges.put("failed", "Failed");
        publish(at("failed", EmailEventType.FAILED, NOW.minusSeconds(120))
                .failure("reached_daily_quota")
                .build());
        badges.put("suppressed", "Suppressed");
        publish(at("suppressed", EmailEventType.SUPPRESSED, NOW.minusSeconds(120))
                .build());
        badges.put("busy", "Opened");
        publish(at("busy", EmailEventType.DELIVERED, NOW.minusSeconds(7200)).build());
        for (int i = 0; i < BUSY_DELAYS; i++) {
            publish(at("busy", EmailEventType.DELIVERY_DELAYED, NOW.minusSeconds(7100 - i))
                    .build());
        }
        for (int i = 0; i < 5; i++) {
            publish(at("busy", EmailEventType.OPENED, NOW.minusSeconds(3600 - i))
                    .by(Classification.HUMAN)
                    .build());
        }
        return badges;
    }

    private static EmailEvents at(String name, EmailEventType type, Instant when) {
        return event(type)
                .activity(id(name))
                .tenant(TENANT)
                .to(name + "@example.com")
                .subject("About " + name)
                .at(when);
    }

    private static String id(String name) {
        return TENANT + "-" + name;
    }

    private void publish(EmailEvent... events) {
        for (EmailEvent e : events) {
            kafka.send(Topics.EVENTS, e.partitionKey(), WireJson.write(e)).join();
        }
    }

    private void signIn() {
        WebElement token = new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        token.sendKeys("page-token");
        browser.findElement(By.cssSelector("#token-form button")).click();
    }

    private void show() {
        WebElement tenant = new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant")));
        tenant.clear();
        tenant.sendKeys(TENANT);
        browser.findElement(By.cssSelector("#filters button")).click();
    }

    private List<WebElement> timelineEntries() {
        return browser.findElements(By.cssSelector("#timeline ol li"));
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#activities tbody tr"));
    }

    private WebElement row(String name) {
        return browser.findElement(By.cssSelector("tr[data-activity-id='" + id(name) + "']"));
    }

    private void await(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .pollingEvery(Duration.ofMillis(250))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(driver -> condition.getAsBoolean());
    }

    /** The projection is asynchronous: show the list again until it holds what the test waits for. */
    private void awaitRows(int count) {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .pollingEvery(Duration.ofSeconds(1))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(driver -> {
                    show();
                    try {
                        return new WebDriverWait(browser, Duration.ofSeconds(3)).until(d -> rows().size() == count);
                    } catch (org.openqa.selenium.TimeoutException notYet) {
                        return false;
                    }
                });
    }
}
