package dev.mailtrail.localstack;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What is checked before anything starts, so that a clash is named rather than a stack trace: the jars are built,
 * no other launcher runs on this state, what a killed one left behind is stopped, and every port is free.
 */
final class Preflight {

    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(15);

    private Preflight() {}

    static void check(StackConfig config, PrintStream out) {
        List<Path> missing = config.missingJars();
        if (!missing.isEmpty()) {
            StringBuilder message = new StringBuilder(
                    "missing exec jar(s); build the services first (./mvnw -B -q -DskipTests package):");
            missing.forEach(jar -> message.append("\n  ").append(jar));
            throw new StackException(message.toString());
        }
        PidFile.runningLauncher(config.pidFile()).ifPresent(pid -> {
            throw new StackException(
                    "a local stack is already running with state in " + config.home() + " (launcher pid " + pid + ")");
        });
        cleanUpAfterDeadLauncher(config, out);
        config.portsToBind().forEach((name, port) -> {
            if (!Ports.isFree(port)) {
                throw new StackException(
                        "port " + port + " (" + name + ") is already in use; stop whatever listens there"
                                + " (ss -ltnp 'sport = :" + port + "') or choose another port (see ./mailtrail help)");
            }
        });
    }

    private static void cleanUpAfterDeadLauncher(StackConfig config, PrintStream out) {
        List<ProcessHandle> leftovers =
                PidFile.leftovers(config.pidFile(), config.home().toString());
        for (ProcessHandle handle : leftovers) {
            out.println("  stopping pid " + handle.pid() + " left over from a launcher that did not shut down ("
                    + handle.info().command().orElse("?") + ")");
            handle.destroy();
            try {
                handle.onExit().get(LEFTOVER_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        if (!leftovers.isEmpty() || Files.exists(config.pidFile())) {
            new PidFile(config.pidFile()).delete();
        }
    }
}
