package dev.mailtrail.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.events.secrets.DevSecret;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;

/**
 * The ingest started as {@code java -jar} would be, without MAILTRAIL_ALLOW_DEV_SECRETS, Kafka pointed at a socket
 * that records whether anyone knocked: the shipped secrets stop it before it connects, and the refusal names them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DevSecretGuardTests {

    @Test
    void theShippedSecretsStopItBeforeItConnectsAndAreNamedNeverShown() throws IOException {
        try (ServerSocketChannel kafka = listening()) {
            assertThatThrownBy(() -> start(kafka))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Refusing to start: MAILTRAIL_TRACKING_KEYS, MAILTRAIL_IP_HASH_SALT, "
                            + "MAILTRAIL_RESEND_WEBHOOK_SECRETS still hold(s) the development value")
                    .satisfies(refusal -> {
                        for (DevSecret secret : DevSecret.values()) {
                            assertThat(refusal.getMessage()).doesNotContain(secret.value());
                        }
                    });
            assertThat(kafka.accept()).as("a connection to Kafka").isNull();
        }
    }

    @Test
    void oneShippedSecretAmongRealOnesIsNamedAlone() throws IOException {
        try (ServerSocketChannel kafka = listening()) {
            assertThatThrownBy(() -> start(
                            kafka,
                            "--mailtrail.ingest.ip-hash-salt=9f8c0f6e3b2a4d1c",
                            "--mailtrail.tracking.keys=k1:3q2+7w8J2zH4y4o1vPp0Qb6bQ1xk9m1zH2a4b6c8d0E="))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Refusing to start: MAILTRAIL_RESEND_WEBHOOK_SECRETS still");
            assertThat(kafka.accept()).as("a connection to Kafka").isNull();
        }
    }

    /** A listening socket nobody accepts on: a client's connection would wait in its backlog. */
    private static ServerSocketChannel listening() throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        return channel;
    }

    private static void start(ServerSocketChannel kafka, String... settings) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--mailtrail.allow-dev-secrets=false",
                "--server.port=0",
                "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=127.0.0.1:"
                        + ((InetSocketAddress) kafka.getLocalAddress()).getPort()));
        args.addAll(List.of(settings));
        SpringApplication.run(IngestApplication.class, args.toArray(String[]::new))
                .close();
    }
}
