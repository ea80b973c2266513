package dev.mailtrail.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** What the local stack hands its processes: development secrets it may use, and listeners nobody else can reach. */
class StackConfigTests {

    private static StackConfig config(Map<String, String> env) {
        return StackConfig.fromEnvironment(env, Path.of("/tmp/mailtrail-repo"), false);
    }

    @Test
    void theServicesMayRunWithTheDevelopmentSecretsHere() {
        Map<String, String> env = config(Map.of()).serviceEnv();

        assertThat(env)
                .containsEntry("MAILTRAIL_ALLOW_DEV_SECRETS", "true")
                .containsEntry("MAILTRAIL_API_TOKENS", "dev-token")
                .containsEntry("MAILTRAIL_TRACKING_KEYS", StackConfig.DEV_TRACKING_KEYS)
                .containsEntry("MAILTRAIL_RESEND_WEBHOOK_SECRETS", StackConfig.DEV_WEBHOOK_SECRETS);
        // someone trying the guard on the stack may switch it back on
        assertThat(config(Map.of("MAILTRAIL_ALLOW_DEV_SECRETS", "false")).serviceEnv())
                .containsEntry("MAILTRAIL_ALLOW_DEV_SECRETS", "false");
    }

    @Test
    void theServicesListenOnLoopbackWhateverTheShellSays() {
        StackConfig config = config(Map.of("SERVER_ADDRESS", "0.0.0.0", "MANAGEMENT_SERVER_ADDRESS", "0.0.0.0"));

        for (Component service : List.of(Component.WEBHOOK_INGEST, Component.SEND_SERVICE)) {
            assertThat(config.envOf(service))
                    .as(service.id())
                    .containsEntry("SERVER_ADDRESS", "127.0.0.1")
                    .containsEntry("MANAGEMENT_SERVER_ADDRESS", "127.0.0.1");
        }
        // the simulator has one port: SERVER_ADDRESS binds it (and wins over its MAILTRAIL_SIMULATOR_ADDRESS); Spring
        // Boot refuses a management address without a management port of its own
        assertThat(config.envOf(Component.RESEND_SIMULATOR))
                .containsEntry("SERVER_ADDRESS", "127.0.0.1")
                .doesNotContainKey("MANAGEMENT_SERVER_ADDRESS");
    }

    @Test
    void eachServiceAnswersHealthOnItsManagementPortAndTheSimulatorOnItsOnlyPort() {
        StackConfig config = config(Map.of(
                "MAILTRAIL_SIMULATOR_PORT",
                "18090",
                "MAILTRAIL_INGEST_PORT",
                "18081",
                "MAILTRAIL_INGEST_MANAGEMENT_PORT",
                "19081",
                "MAILTRAIL_SEND_PORT",
                "18082",
                "MAILTRAIL_SEND_MANAGEMENT_PORT",
                "19082"));

        assertThat(Component.services())
                .containsExactly(Component.RESEND_SIMULATOR, Component.WEBHOOK_INGEST, Component.SEND_SERVICE);
        assertThat(Component.services())
                .extracting(config::healthUrl)
                .containsExactly(
                        "http://127.0.0.1:18090/actuator/health",
                        "http://127.0.0.1:19081/actuator/health",
                        "http://127.0.0.1:19082/actuator/health");
        assertThat(List.of(config.simulatorUrl(), config.ingestUrl(), config.sendUrl()))
                .containsExactly("http://127.0.0.1:18090", "http://127.0.0.1:18081", "http://127.0.0.1:18082");
        assertThat(config.jarOf(Component.SEND_SERVICE))
                .isEqualTo(Path.of(
                        "/tmp/mailtrail-repo/send-service/target/send-service-" + StackConfig.VERSION + "-exec.jar"));
    }

    @Test
    void theBrokerListensOnLoopbackOnly() {
        StackConfig config =
                config(Map.of("MAILTRAIL_KAFKA_PORT", "49092", "MAILTRAIL_KAFKA_CONTROLLER_PORT", "49093"));
        String properties = KafkaBroker.serverProperties(config, Path.of("/tmp/kafka-data"));

        Matcher listeners = Pattern.compile("(?m)^listeners=(.*)$").matcher(properties);
        assertThat(listeners.find()).isTrue();
        assertThat(List.of(listeners.group(1).split(",")))
                .containsExactly("PLAINTEXT://127.0.0.1:49092", "CONTROLLER://127.0.0.1:49093");
    }
}
