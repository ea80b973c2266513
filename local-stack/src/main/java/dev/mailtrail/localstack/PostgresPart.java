package dev.mailtrail.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

/** Embedded PostgreSQL 17 on the configured port, its data in &lt;home&gt;/postgres; ready once it has started. */
record PostgresPart(StackConfig config) implements Part {

    @Override
    public Component component() {
        return Component.POSTGRES;
    }

    @Override
    public boolean ours() {
        return config.embeddedPostgres();
    }

    @Override
    public String address() {
        return config.dbHost() + ":" + config.dbPort() + "/" + config.dbName();
    }

    @Override
    public Running launch() {
        Path log = config.logs().resolve(component().id() + ".log");
        try {
            return EmbeddedDatabase.start(config, log);
        } catch (StackException e) {
            throw e;
        } catch (SQLException e) {
            throw new StackException(
                    "PostgreSQL started but preparing database '" + config.dbName() + "' failed: " + e.getMessage()
                            + "\n" + ChildProcess.tail(log, 20),
                    e);
        } catch (IOException | RuntimeException e) {
            throw new StackException(
                    "PostgreSQL did not start: " + e.getMessage() + "; last lines of " + log + ":\n"
                            + ChildProcess.tail(log, 20),
                    e);
        }
    }

    @Override
    public String health() {
        return Ports.accepts(config.dbPort()) ? Health.UP : "no answer";
    }

    @Override
    public String probe() {
        return StackConfig.LOOPBACK + ":" + config.dbPort();
    }

    @Override
    public Duration readyTimeout() {
        return EmbeddedDatabase.STARTUP_WAIT;
    }

    @Override
    public String details(Running running) {
        return "embedded 17, data in " + config.home().resolve("postgres");
    }
}
