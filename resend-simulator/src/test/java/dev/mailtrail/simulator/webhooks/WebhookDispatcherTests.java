package dev.mailtrail.simulator.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.mailtrail.simulator.SimulatorProperties;
import dev.mailtrail.simulator.store.EmailStore;
import dev.mailtrail.simulator.store.SentEmail;
import tools.jackson.databind.json.JsonMapper;

class WebhookDispatcherTests {

    @Test
    void unreachableReceiverIsRecordedPerAttemptAndTheScenarioCarriesOn() throws IOException {
        SimulatorProperties properties = new SimulatorProperties("re_test", URI.create("http://127.0.0.1:" + freePort()
                + "/hook"), List.of(ResendWebhookPayloadsTests.DEV_SECRET), Duration.ZERO, Duration.ofSeconds(5), 10);
        EmailStore store = new EmailStore(properties);
        DeliveryLog log = new DeliveryLog(properties);
        WebhookDispatcher dispatcher = new WebhookDispatcher(properties,
                new ResendWebhookPayloads(JsonMapper.builder().build()),
                new WebhookSigner(properties.signingSecret()), store, log);
        SentEmail email = new SentEmail("e-1", Instant.now(), "a@b.test", List.of("complained@resend.dev"), null, null,
                null, "s", "<p>x</p>", null, Map.of(), List.of(), null, Map.of(), null, "queued");
        store.save(email);

        dispatcher.play(email).block(Duration.ofSeconds(20));

        List<DeliveryAttempt> attempts = log.all();
        assertThat(attempts).extracting(DeliveryAttempt::type)
                .containsExactly("email.sent", "email.delivered", "email.complained");
        assertThat(attempts).allSatisfy(attempt -> {
            assertThat(attempt.emailId()).isEqualTo("e-1");
            assertThat(attempt.svixId()).matches("msg_[A-Za-z0-9]{27}");
            assertThat(attempt.attempt()).isEqualTo(1);
            assertThat(attempt.status()).isNull();
            assertThat(attempt.error()).isNotBlank();
            assertThat(attempt.succeeded()).isFalse();
        });
        // the email's state follows the events emitted, whether or not the receiver got them
        assertThat(store.find("e-1")).get().extracting(SentEmail::lastEvent).isEqualTo("complained");
    }

    @Test
    void historyIsBounded() {
        SimulatorProperties properties = new SimulatorProperties("k", URI.create("http://127.0.0.1/"),
                List.of(ResendWebhookPayloadsTests.DEV_SECRET), null, null, 2);
        EmailStore store = new EmailStore(properties);
        for (String id : List.of("a", "b", "c")) {
            store.save(new SentEmail(id, Instant.now(), "a@b.test", List.of("c@d.test"), null, null, null, "s", null,
                    "t", null, null, null, null, null, "queued"));
        }

        assertThat(store.all()).extracting(SentEmail::id).containsExactly("b", "c");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
