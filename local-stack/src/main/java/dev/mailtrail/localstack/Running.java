package dev.mailtrail.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A started component as the stack watches and stops it: a child process, or the embedded PostgreSQL. */
sealed interface Running permits ChildProcess, EmbeddedDatabase {

    /** The main process (PostgreSQL's postmaster), if known. */
    Optional<Long> pid();

    boolean isAlive();

    /** Every process it owns, descendants already seen included. */
    List<ProcessHandle> processes();

    /** Completes when it exits; never where its process is unknown. */
    CompletableFuture<?> onExit();

    /** SIGTERM, the grace period, then SIGKILL (PostgreSQL: a clean shutdown, however long it takes). */
    void stop(Duration grace);

    /** SIGKILL at once, a crash for the fault drills (PostgreSQL: still a clean shutdown). */
    void kill();

    /** How it ended, for a message: the exit code and the end of its log, or where the log is. */
    String exitReport();

    /** Where its output goes. */
    Path log();

    /** "last lines of &lt;log&gt;:" and those lines, for a message. */
    default String lastLines(int lines) {
        return "last lines of " + log() + ":\n" + ChildProcess.tail(log(), lines);
    }
}
