package dev.mailtrail.send;

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
 * The send-service started as {@code java -jar} would be, without MAILTRAIL_ALLOW_DEV_SECRETS, PostgreSQL and Kafka
 * pointed at a socket that records whether anyone knocked: the shipped secrets stop it before it connects to either,
 * and the refusal names them.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DevSecretGuardTests {

    @Test
    void theShippedSecretsStopItBeforeItConnectsAndAreNamedNeverShown() throws IOException {
        try (ServerSocketChannel backends = listening()) {
            assertThatThrownBy(() -> start(backends))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith(
                            "Refusing to start: MAILTRAIL_TRACKING_KEYS, MAILTRAIL_IP_HASH_SALT, MAILTRAIL_API_TOKENS, "
                                    + "MAILTRAIL_RESEND_API_KEY still hold(s) the development value")
                    .satisfies(refusal -> {
                        for (DevSecret secret : DevSecret.values()) {
                            assertThat(refusal.getMessage()).doesNotContain(secret.value());
                        }
                    });
            assertThat(backends.accept())
                    .as("a connection to PostgreSQL or Kafka")
                    .isNull();
        }
    }

    @Test
    void aTenantTokenMadeOfTheShippedOneIsRefusedToo() throws IOException {
        try (ServerSocketChannel backends = listening()) {
            assertThatThrownBy(() -> start(
                            backends,
                            "--mailtrail.api-tokens=crm-7c1d2e,dev-token:tenant-a",
                            "--mailtrail.resend.api-key=re_live_5Fq2",
                            "--mailtrail.tracking.keys=k1:3q2+7w8J2zH4y4o1vPp0Qb6bQ1xk9m1zH2a4b6c8d0E=",
                            "--mailtrail.ingest.ip-hash-salt=9f8c0f6e3b2a4d1c"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Refusing to start: MAILTRAIL_API_TOKENS still");
            assertThat(backends.accept())
                    .as("a connection to PostgreSQL or Kafka")
                    .isNull();
        }
    }

    /** A listening socket nobody accepts on: a client's connection would wait in its backlog. */
    private static ServerSocketChannel listening() throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        channel.configureBlocking(false);
        return channel;
    }

    private static void start(ServerSocketChannel backends, String... settings) throws IOException {
        int port = ((InetSocketAddress) backends.getLocalAddress()).getPort();
        List<String> args = new ArrayList<>(List.of(
                "--mailtrail.allow-dev-secrets=false",
                "--server.port=0",
                "--management.server.port=0",
                "--mailtrail.db.host=127.0.0.1",
                "--mailtrail.db.port=" + port,
                "--spring.kafka.bootstrap-servers=127.0.0.1:" + port));
        args.addAll(List.of(settings));
        SpringApplication.run(SendServiceApplication.class, args.toArray(String[]::new))
                .close();
    }
}
