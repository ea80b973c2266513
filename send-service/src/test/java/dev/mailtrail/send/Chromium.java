package dev.mailtrail.send;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through Debian's chromedriver (no driver downloads), for the tests that need a real
 * browser. They skip on a developer machine without it, never in CI ({@code .ci/run} installs both).
 */
public final class Chromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");
    static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    public static final String MISSING = "Skipping browser tests: Debian's chromium and chromium-driver are not "
            + "installed (apt-get install chromium chromium-driver); CI installs them";

    private Chromium() {}

    /** Whether the browser is here; on CI its absence fails the test instead. */
    public static boolean installed() {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
        if (System.getenv("CI") != null) {
            assertThat(installed)
                    .as("CI must run the browser tests: .ci/run installs chromium and chromium-driver")
                    .isTrue();
        }
        return installed;
    }

    /** A new headless browser with its own throw-away profile; the caller quits it. */
    public static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions()
                .setBinary(BINARY.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-quic",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--window-size=1280,900",
                        "--user-data-dir=" + profile());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    private static String profile() {
        try {
            File dir = Files.createTempDirectory("chromium-profile").toFile();
            dir.deleteOnExit();
            return dir.getAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
