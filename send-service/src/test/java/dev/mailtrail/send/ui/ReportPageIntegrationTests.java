package dev.mailtrail.send.ui;

import static dev.mailtrail.send.EmailEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.send.Chromium;
import dev.mailtrail.send.EmailEvents;
import dev.mailtrail.send.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * The page in Debian's headless Chromium as each kind of token sees it: the report view (funnel, daily series and
 * figures from the rollups) and the all-tenant token's "erase recipient" action.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "management.server.port=0",
            "mailtrail.api-tokens=all-token,bound-token:" + ReportPageIntegrationTests.TENANT
        })
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class ReportPageIntegrationTests {

    static final String TENANT = "report-page-t";
    static final Instant DAY = Instant.parse("2026-11-20T09:00:00.000Z");

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
    void aTenantBoundTokenSeesItsFunnelAndDailyRatesWithoutTypingATenant() throws Exception {
        EmailEvents.publish(kafka, seed());
        freshVisit();
        signIn("bound-token");

        // the page asked which tenant the token is bound to
        await(() -> TENANT.equals(browser.findElement(By.id("tenant")).getDomProperty("value")));
        await(() -> {
            browser.findElement(By.cssSelector("#report-filters button")).click();
            return "4".equals(figures().get("sent"));
        });
        // the page may still be drawing the answer to an earlier click: read what it shows once it settled
        await(() -> figures().equals(figures())
                && rendered("#funnel svg rect[data-figure]", "data-figure")
                        .containsAll(
                                List.of("sent", "delivered", "opened", "opened-human", "clicked", "machineOnlyOpened"))
                && rendered("#series svg path[data-rate]", "data-rate")
                        .containsAll(List.of("openRate", "humanOpenRate", "clickRate")));
        assertThat(figures())
                .containsEntry("delivered", "3")
                .containsEntry("opened", "2")
                .containsEntry("machineOnlyOpened", "1")
                .containsEntry("openRate", "66.7 %");
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target", "report-page.png"), browser.getScreenshotAs(OutputType.BYTES));

        // the tag filter: only campaign alpha's activities
        browser.findElement(By.id("report-tag")).sendKeys("campaign:alpha");
        browser.findElement(By.cssSelector("#report-filters button")).click();
        await(() -> "3".equals(figures().get("sent")));

        // an all-tenant token types the tenant once; the page remembers it
        browser.findElement(By.id("sign-out")).click();
        signIn("all-token");
        WebElement tenant = new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("tenant")));
        tenant.clear();
        tenant.sendKeys(TENANT);
        browser.findElement(By.cssSelector("#filters button")).click();
        browser.get("http://127.0.0.1:" + port + "/"); // a new visit, not a reload that restores the form
        await(() -> TENANT.equals(browser.findElement(By.id("tenant")).getDomProperty("value")));
        assertThat(browser.findElement(By.id("tenant")).getDomProperty("readOnly"))
                .isEqualTo("false");
    }

    @Test
    void onlyAnAllTenantTokenIsOfferedTheEraseAndItErasesAfterAConfirmation() {
        String tenant = "erase-page-" + UUID.randomUUID().toString().substring(0, 8);
        String address = "erase-me@example.com";
        List<EmailEvent> events = new ArrayList<>();
        for (String to : List.of(address, address.toUpperCase(java.util.Locale.ROOT), "keep-me@example.com")) {
            events.add(event(EmailEventType.SENT)
                    .tenant(tenant)
                    .activity("erase-" + UUID.randomUUID())
                    .to(to)
                    .subject("Private plans")
                    .at(DAY)
                    .build());
        }
        EmailEvents.publish(kafka, events);
        freshVisit();

        // a tenant-bound token: the page learnt its tenant, and offers no erase
        signIn("bound-token");
        await(() -> TENANT.equals(browser.findElement(By.id("tenant")).getDomProperty("value")));
        assertThat(browser.findElement(By.id("erase")).isDisplayed()).isFalse();

        browser.findElement(By.id("sign-out")).click();
        signIn("all-token");
        await(() -> browser.findElement(By.id("erase")).isDisplayed());
        WebElement tenantField = browser.findElement(By.id("tenant"));
        tenantField.clear();
        tenantField.sendKeys(tenant);
        browser.findElement(By.cssSelector("#filters button")).click();
        await(() -> recipients().size() == 3);

        browser.findElement(By.id("erase-email")).sendKeys(address);
        browser.findElement(By.cssSelector("#erase button[type=submit]")).click();
        await(() -> browser.findElement(By.id("erase-confirm")).isDisplayed());
        assertThat(browser.findElement(By.id("erase-question")).getText())
                .isEqualTo("Erase everything recorded about " + address + " in tenant " + tenant + "?");
        // cancelled: nothing erased
        browser.findElement(By.id("erase-no")).click();
        assertThat(browser.findElement(By.id("erase-confirm")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("erased")).getText()).isEmpty();

        browser.findElement(By.cssSelector("#erase button[type=submit]")).click();
        await(() -> browser.findElement(By.id("erase-confirm")).isDisplayed());
        browser.findElement(By.id("erase-yes")).click();
        await(() -> "Erased from 2 activities"
                .equals(browser.findElement(By.id("erased")).getText()));

        // the list, asked again, shows the two activities by their erased form; the other recipient's is untouched
        browser.findElement(By.cssSelector("#filters button")).click();
        await(() -> recipients().stream().filter(r -> r.startsWith("erased:")).count() == 2);
        assertThat(recipients()).contains("keep-me@example.com").noneMatch(r -> r.contains(address));
        browser.findElement(By.id("sign-out")).click();
    }

    /** A new visit without the token a previous test left in this tab. */
    private void freshVisit() {
        browser.get("http://127.0.0.1:" + port + "/");
        browser.executeScript("sessionStorage.clear()");
        browser.get("http://127.0.0.1:" + port + "/");
    }

    @SuppressWarnings("unchecked")
    private static List<String> recipients() {
        return (List<String>) browser.executeScript("return [...document.querySelectorAll("
                + "'#activities tbody tr td:first-child')].map(td => td.textContent)");
    }

    /** Two days: 3 in campaign alpha (2 delivered, 1 opened by a person and clicked, 1 only machines opened), 1 more. */
    private static List<EmailEvent> seed() {
        List<EmailEvent> events = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String activity = "rep-" + UUID.randomUUID();
            Map<String, String> tags = i < 3 ? Map.of("campaign", "alpha") : Map.of();
            Instant at = DAY.plus(Duration.ofDays(i % 2));
            events.add(on(activity, tags, EmailEventType.SENT, at).build());
            events.add(on(activity, tags, i == 2 ? EmailEventType.BOUNCED : EmailEventType.DELIVERED, at)
                    .bounce(i == 2 ? "Permanent" : null, "no such user")
                    .build());
            if (i == 0 || i == 3) {
                events.add(on(activity, tags, EmailEventType.OPENED, at.plusSeconds(3600))
                        .by(Classification.HUMAN, "gmail_image_proxy")
                        .build());
                events.add(on(activity, tags, EmailEventType.CLICKED, at.plusSeconds(3700))
                        .by(Classification.HUMAN, "gmail_image_proxy")
                        .link("https://acme.test/pricing")
                        .build());
            } else if (i == 1) {
                events.add(on(activity, tags, EmailEventType.OPENED, at.plusSeconds(3600))
                        .by(Classification.MACHINE, "apple_mpp")
                        .build());
            }
        }
        return events;
    }

    private static EmailEvents on(String activity, Map<String, String> tags, EmailEventType type, Instant at) {
        return event(type).tenant(TENANT).activity(activity).tags(tags).at(at);
    }

    /** The figures table as the page shows it, read in one script (the page replaces it on every answer). */
    @SuppressWarnings("unchecked")
    private static Map<String, String> figures() {
        return (Map<String, String>) browser.executeScript("return Object.fromEntries([...document.querySelectorAll("
                + "'#figures td[data-figure]')].map(td => [td.dataset.figure, td.textContent]))");
    }

    @SuppressWarnings("unchecked")
    private static List<String> rendered(String selector, String attribute) {
        return (List<String>) browser.executeScript(
                "return [...document.querySelectorAll(arguments[0])].map(e => e.getAttribute(arguments[1]))",
                selector,
                attribute);
    }

    private void signIn(String token) {
        WebElement field = new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#token-form button")).click();
    }

    private static void await(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(60))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> condition.getAsBoolean());
    }
}
