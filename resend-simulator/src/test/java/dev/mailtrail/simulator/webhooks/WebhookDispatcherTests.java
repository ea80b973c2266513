package dev.mailtrail.simulator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.mailtrail.simulator.LiveSettings;
import dev.mailtrail.simulator.QuotaState;
import dev.mailtrail.simulator.SimulatorProperties;
import dev.mailtrail.simulator.SimulatorSettings;
import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.store.SentEmail;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class WebhookDispatcherTests {

    /** Svix's whole ~27.5 h schedule in about a second. */
    static final SimulatorSettings FAST_RETRIES = new SimulatorSettings(
            0, QuotaState.NONE, Duration.ZERO, 0.00001, 0, 0, Duration.ZERO, Duration.ZERO, List.of(), 0);

    static SentEmail email(String id, String to) {
        return new SentEmail(
                id,
                Instant.now(),
                "a@b.test",
                List.of(to),
                null,
                null,
                null,
                "s",
                "<p>x</p>",
                null,
                Map.of(),
                List.of(),
                null,
                Map.of(),
                null,
                "queued");
    }

    @Test
    void unreachableReceiverIsRetriedOnSvixsScheduleThenGivenUp() throws IOException {
        SimulatorProperties properties = new SimulatorProperties(
                "re_test",
                URI.create("http://127.0.0.1:" + freePort() + "/hook"),
                List.of(ResendWebhookPayloadsTests.DEV_SECRET),
                Duration.ZERO,
                Duration.ofSeconds(5),
                100,
                null);
        EmailStore store = new EmailStore(properties);
        DeliveryLog log = new DeliveryLog(properties);
        LiveSettings settings = new LiveSettings(FAST_RETRIES);
        WebhookDispatcher dispatcher = new WebhookDispatcher(
                properties,
                settings,
                new Chaos(settings),
                new ResendWebhookPayloads(JsonMapper.builder().build()),
                new WebhookSigner(properties.signingSecret()),
                store,
                log,
                new WebhookEventLog(properties));
        SentEmail email = email("e-1", "complained@resend.dev");
        store.save(email);

        dispatcher.play(email).block(Duration.ofSeconds(20));

        // play completes with the first attempts, in the scenario's order
        assertThat(log.all())
                .filteredOn(attempt -> attempt.attempt() == 1)
                .extracting(DeliveryAttempt::type)
                .containsExactly("email.sent", "email.delivered", "email.complained");
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(log.all()).hasSize(3 * 9));
        Map<String, List<DeliveryAttempt>> bySvixId =
                log.all().stream().collect(Collectors.groupingBy(DeliveryAttempt::svixId));
        assertThat(bySvixId).hasSize(3).allSatisfy((svixId, attempts) -> {
            assertThat(svixId).matches("msg_[A-Za-z0-9]{27}");
            assertThat(attempts)
                    .extracting(DeliveryAttempt::attempt)
                    .isEqualTo(IntStream.rangeClosed(1, 9).boxed().toList());
            assertThat(attempts).allSatisfy(attempt -> {
                assertThat(attempt.emailId()).isEqualTo("e-1");
                assertThat(attempt.status()).isNull();
                assertThat(attempt.error()).isNotBlank();
                assertThat(attempt.succeeded()).isFalse();
            });
        });
        // the email's state follows the events emitted, whether or not the receiver got them
        assertThat(store.find("e-1")).get().extracting(SentEmail::lastEvent).isEqualTo("complained");
    }

    @ParameterizedTest
    @CsvSource({
        "200, true",
        "204, true",
        "299, true",
        "199, false",
        "301, false",
        "302, false",
        "304, false",
        "400, false",
        "500, false"
    })
    void onlyA2xxIsASuccess(int status, boolean succeeded) {
        PendingWebhook webhook = new PendingWebhook("msg_1", EmailEventType.SENT, "e-1", "{}");

        assertThat(DeliveryAttempt.of(webhook, 1, false, "http://x", Instant.now(), status, null, 1)
                        .succeeded())
                .isEqualTo(succeeded);
        assertThat(DeliveryAttempt.of(webhook, 1, false, "http://x", Instant.now(), null, "timeout", 1)
                        .succeeded())
                .isFalse();
    }

    @Test
    void retryScheduleIsSvixsScaled() {
        assertThat(IntStream.rangeClosed(1, 8)
                        .mapToObj(n -> RetrySchedule.after(n, 1.0).orElseThrow())
                        .toList())
                .containsExactly(
                        Duration.ZERO,
                        Duration.ofSeconds(5),
                        Duration.ofMinutes(5),
                        Duration.ofMinutes(30),
                        Duration.ofHours(2),
                        Duration.ofHours(5),
                        Duration.ofHours(10),
                        Duration.ofHours(10));
        assertThat(RetrySchedule.after(9, 1.0)).isEmpty();
        assertThat(RetrySchedule.after(2, 0.001)).contains(Duration.ofMillis(5));
        assertThat(RetrySchedule.after(8, 0.001)).contains(Duration.ofSeconds(36));
    }

    @Test
    void historyIsBounded() {
        SimulatorProperties properties = new SimulatorProperties(
                "k",
                URI.create("http://127.0.0.1/"),
                List.of(ResendWebhookPayloadsTests.DEV_SECRET),
                null,
                null,
                2,
                null);
        EmailStore store = new EmailStore(properties);
        for (String id : List.of("a", "b", "c")) {
            store.save(email(id, "c@d.test"));
        }

        assertThat(store.all()).extracting(SentEmail::id).containsExactly("b", "c");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
