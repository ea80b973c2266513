package dev.mailtrail.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Embedded PostgreSQL 17 (zonky) whose data lives in .mailtrail/postgres and survives restarts.
 *
 * <p>zonky runs {@code initdb -A trust -U postgres}: the superuser {@code postgres} has no password
 * and every local connection is trusted, so the services' default password {@code postgres} (or any
 * other) is accepted.
 */
final class EmbeddedDatabase implements Running, AutoCloseable {

    /** How long start-up may take: returned from {@link #start}, it is ready. */
    static final Duration STARTUP_WAIT = Duration.ofSeconds(60);

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final Path log;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, Path log) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.log = log;
    }

    static EmbeddedDatabase start(StackConfig config, Path log) throws IOException, SQLException {
        Path data = config.home().resolve("postgres");
        Files.createDirectories(data);
        Files.createDirectories(log.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(config.dbPort())
                // We stop it ourselves, after the services: zonky's own hook would race them.
                .setRegisterShutdownHook(false)
                .setPGStartupWait(STARTUP_WAIT)
                // zonky's default is off; a local stack should lose nothing a service was told is committed.
                .setServerConfig("synchronous_commit", "on")
                // PostgreSQL's own default, localhost, is ::1 as well
                .setServerConfig("listen_addresses", StackConfig.LOOPBACK)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, data, log);
        try {
            database.ensureDatabase(config.dbName(), config.dbUser(), config.dbPassword());
        } catch (SQLException | RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    /** Creates the role (if not the superuser) and the database if missing; idempotent. */
    private void ensureDatabase(String name, String user, String password) throws SQLException {
        if (!IDENTIFIER.matcher(name).matches() || !IDENTIFIER.matcher(user).matches()) {
            throw new StackException(
                    "MAILTRAIL_DB_NAME and MAILTRAIL_DB_USER must be plain identifiers ([A-Za-z_][A-Za-z0-9_]*)");
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            if (!"postgres".equals(user) && !exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(
                            "CREATE ROLE \"" + user + "\" LOGIN PASSWORD '" + password.replace("'", "''") + "'");
                }
            }
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE \"" + name + "\" OWNER \"" + user + "\"");
                }
            }
        }
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, value);
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public Optional<Long> pid() {
        return postmaster().map(ProcessHandle::pid);
    }

    /** Unknown (no postmaster.pid to read) counts as alive: only an exit seen is one. */
    @Override
    public boolean isAlive() {
        return postmaster().map(ProcessHandle::isAlive).orElse(true);
    }

    @Override
    public List<ProcessHandle> processes() {
        return postmaster().stream().toList();
    }

    @Override
    public CompletableFuture<?> onExit() {
        return postmaster().<CompletableFuture<?>>map(ProcessHandle::onExit).orElseGet(CompletableFuture::new);
    }

    /** Always a clean shutdown: PostgreSQL loses nothing it acknowledged either way, and a fast one is not a crash. */
    @Override
    public void stop(Duration grace) {
        try {
            close();
        } catch (IOException e) {
            throw new StackException("stopping postgres failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void kill() {
        stop(Duration.ZERO);
    }

    @Override
    public String exitReport() {
        return "exited; see " + log;
    }

    @Override
    public Path log() {
        return log;
    }

    /** The postmaster's pid (pg_ctl detaches it, so it is not our child). */
    private Optional<ProcessHandle> postmaster() {
        try {
            Path pidFile = dataDirectory.resolve("postmaster.pid");
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).get(0).trim();
            return ProcessHandle.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() throws IOException {
        Optional<ProcessHandle> postmaster = postmaster();
        postgres.close();
        // pg_ctl stop waits, but make sure nothing is left listening even if it gave up early.
        postmaster.ifPresent(handle -> {
            try {
                handle.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        });
    }
}
