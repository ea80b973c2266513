package dev.mailtrail.send;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL for integration tests: the one named by MAILTRAIL_DB_* when MAILTRAIL_DB_HOST is set,
 * else an embedded PostgreSQL 17 started once per test JVM.
 */
public final class TestDatabase {

    // zonky's embedded server: its superuser (trust auth, any password) and default database
    private static final String EMBEDDED_HOST = "127.0.0.1";
    private static final String EMBEDDED_NAME = "postgres";
    private static final String EMBEDDED_USER = "postgres";
    private static final String EMBEDDED_PASSWORD = "postgres";

    private static EmbeddedPostgres embedded;

    private TestDatabase() {}

    public static void register(DynamicPropertyRegistry registry) {
        settings().forEach((name, value) -> registry.add(name, () -> value));
    }

    /** The embedded server's {@code mailtrail.db.*}; none when MAILTRAIL_DB_HOST is set (application.yml reads those). */
    public static Map<String, Object> settings() {
        if (System.getenv("MAILTRAIL_DB_HOST") != null) {
            return Map.of();
        }
        return Map.of(
                "mailtrail.db.host",
                EMBEDDED_HOST,
                "mailtrail.db.port",
                embedded().getPort(),
                "mailtrail.db.name",
                EMBEDDED_NAME,
                "mailtrail.db.user",
                EMBEDDED_USER,
                "mailtrail.db.password",
                EMBEDDED_PASSWORD);
    }

    /**
     * The same database without an application context (one connection at a time, for repository-level tests):
     * MAILTRAIL_DB_* with application.yml's defaults, or the embedded one.
     */
    public static DatabaseClient client() {
        PostgresqlConnectionConfiguration.Builder config = PostgresqlConnectionConfiguration.builder();
        if (System.getenv("MAILTRAIL_DB_HOST") != null) {
            config.host(System.getenv("MAILTRAIL_DB_HOST"))
                    .port(Integer.parseInt(env("MAILTRAIL_DB_PORT", "5432")))
                    .database(env("MAILTRAIL_DB_NAME", "mailtrail"))
                    .username(env("MAILTRAIL_DB_USER", "postgres"))
                    .password(env("MAILTRAIL_DB_PASSWORD", "postgres"));
        } else {
            config.host(EMBEDDED_HOST)
                    .port(embedded().getPort())
                    .database(EMBEDDED_NAME)
                    .username(EMBEDDED_USER)
                    .password(EMBEDDED_PASSWORD);
        }
        return DatabaseClient.create(new PostgresqlConnectionFactory(config.build()));
    }

    private static String env(String name, String otherwise) {
        String value = System.getenv(name);
        return value != null ? value : otherwise;
    }

    private static synchronized EmbeddedPostgres embedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return embedded;
    }
}
