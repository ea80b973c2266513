package dev.mailtrail.send.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mailtrail.send.TestDatabase;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;

/**
 * MAILTRAIL_DB_SSL_MODE as application.yml and {@link DatabaseTls} hand it to both drivers, against a real PostgreSQL
 * without TLS (the embedded one): "require" is refused by R2DBC and by Flyway's JDBC connection alike instead of
 * falling back to plain text, while the default, "prefer", connects.
 */
class DatabaseTlsIntegrationTests {

    @BeforeAll
    static void theServerHasNoTls() {
        assumeTrue(
                System.getenv("MAILTRAIL_DB_HOST") == null,
                "MAILTRAIL_DB_HOST names a server of its own, which may speak TLS: the embedded one does not");
    }

    /** The service's application.yml (and the tests' config/), pointed at the embedded server. */
    private static ApplicationContextRunner service(String... properties) {
        List<String> settings = new ArrayList<>();
        TestDatabase.settings().forEach((name, value) -> settings.add(name + "=" + value));
        settings.addAll(List.of(properties));
        return new ApplicationContextRunner()
                .withInitializer(new ConfigDataApplicationContextInitializer())
                .withPropertyValues(settings.toArray(String[]::new));
    }

    private static ApplicationContextRunner r2dbc(String... properties) {
        return service(properties)
                .withUserConfiguration(DatabaseTlsConfiguration.class)
                .withConfiguration(AutoConfigurations.of(R2dbcAutoConfiguration.class));
    }

    private static ApplicationContextRunner flyway(String... properties) {
        return service(properties).withConfiguration(AutoConfigurations.of(FlywayAutoConfiguration.class));
    }

    private static Long selectOne(ConnectionFactory connections) {
        return Mono.usingWhen(
                        connections.create(),
                        connection -> Mono.from(
                                        connection.createStatement("SELECT 1").execute())
                                .flatMap(result -> Mono.from(result.map(row -> row.get(0, Long.class)))),
                        Connection::close)
                .block(Duration.ofSeconds(30));
    }

    @Test
    void requireIsRefusedByAServerWithoutTlsOnBothPaths() {
        r2dbc("mailtrail.db.ssl-mode=require")
                .run(context -> assertThatThrownBy(() -> selectOne(context.getBean(ConnectionFactory.class)))
                        .hasMessageContaining("SSL"));
        flyway("mailtrail.db.ssl-mode=require")
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining("SSL"));
    }

    @Test
    void preferTheDefaultConnectsInPlainText() {
        r2dbc().run(context ->
                assertThat(selectOne(context.getBean(ConnectionFactory.class))).isEqualTo(1L));
        flyway().run(context -> assertThat(context).hasNotFailed());
    }
}
