package dev.mailtrail.send;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A real PostgreSQL for integration tests: the one named by MAILTRAIL_DB_* when MAILTRAIL_DB_HOST is set,
 * else an embedded PostgreSQL 17 started once per test JVM.
 */
public final class TestDatabase {

    private static EmbeddedPostgres embedded;

    private TestDatabase() {
    }

    public static void register(DynamicPropertyRegistry registry) {
        if (System.getenv("MAILTRAIL_DB_HOST") != null) {
            return; // application.yml reads MAILTRAIL_DB_* itself
        }
        int port = embedded().getPort();
        registry.add("mailtrail.db.host", () -> "127.0.0.1");
        registry.add("mailtrail.db.port", () -> port);
        registry.add("mailtrail.db.name", () -> "postgres");
        registry.add("mailtrail.db.user", () -> "postgres");
        registry.add("mailtrail.db.password", () -> "postgres");
    }

    private static synchronized EmbeddedPostgres embedded() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().start();
            }
            catch (IOException e) {
                throw new UncheckedIOException("embedded PostgreSQL did not start", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                }
                catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return embedded;
    }
}
