package dev.mailtrail.send;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.send.db.DatabaseTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.yaml.snakeyaml.Yaml;

/**
 * The variables k8s/overlays/prod gives the send-service, read as its pod's environment on top of application.yml,
 * land on the settings they are meant for: Spring ignores a misspelt one without a word, and Kafka would then talk
 * plain text. (DeploymentManifestsTests checks that the ingest gets the same Kafka and springdoc variables.)
 */
class ProdOverlaySettingsTests {

    private static final Path CONFIG_MAP = Path.of("../k8s/overlays/prod/patches/send-service-config.yaml");

    @Test
    void kafkaSpeaksSaslSslPostgresVerifiesItsServerAndTheApiDocsAreOff() throws IOException {
        Map<String, Object> env = new LinkedHashMap<>(prodConfigMap());
        // from the service's Secret (the Deployment patch)
        env.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", "ScramLoginModule required username=\"u\" password=\"p\";");
        Binder binder = Binder.get(environment(env));

        KafkaProperties kafka =
                binder.bind("spring.kafka", KafkaProperties.class).get();
        for (Map<String, Object> client : List.of(
                kafka.buildProducerProperties(), kafka.buildConsumerProperties(), kafka.buildAdminProperties())) {
            assertThat(client)
                    .containsEntry("security.protocol", "SASL_SSL")
                    .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", env.get("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG"))
                    .containsEntry("ssl.truststore.type", "PEM")
                    .containsEntry("ssl.truststore.location", "/etc/mailtrail/kafka-ca/ca.crt");
        }
        assertThat(binder.bind("mailtrail.db", DatabaseTls.class).get())
                .isEqualTo(new DatabaseTls("verify-full", "/etc/mailtrail/postgres-ca/ca.crt"));
        assertThat(binder.bind("springdoc.api-docs.enabled", Boolean.class).get())
                .isFalse();
        assertThat(binder.bind("springdoc.swagger-ui.enabled", Boolean.class).get())
                .isFalse();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> prodConfigMap() throws IOException {
        try (InputStream in = Files.newInputStream(CONFIG_MAP)) {
            return (Map<String, Object>)
                    new Yaml().<Map<String, Object>>load(in).get("data");
        }
    }

    /** The service's application.yml under the given variables, bound the way Spring Boot binds a pod's env. */
    private static StandardEnvironment environment(Map<String, Object> variables) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .replace(
                        StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new SystemEnvironmentPropertySource(
                                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
        new YamlPropertySourceLoader()
                .load("application.yml", new ClassPathResource("application.yml"))
                .forEach(environment.getPropertySources()::addLast);
        ConfigurationPropertySources.attach(environment);
        return environment;
    }
}
