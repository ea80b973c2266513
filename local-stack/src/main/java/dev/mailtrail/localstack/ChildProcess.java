package dev.mailtrail.localstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** A JVM (or other) child process whose output goes to logs/&lt;name&gt;.log, stopped with its descendants. */
final class ChildProcess implements Running {

    private static final Path SETSID = findSetsid();

    private final String name;
    private final Process process;
    private final Path log;
    /** Descendants seen while running: a JVM may have forked helpers we must not orphan. */
    private final Set<ProcessHandle> seenDescendants = new LinkedHashSet<>();
    /** A stop waits at least this long (a JVM writing its class-data-sharing archive at exit). */
    private volatile Duration minimumStopGrace = Duration.ZERO;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildProcess start(String name, List<String> command, Map<String, String> env, Path workDir, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        rotate(log);
        List<String> full = new ArrayList<>();
        // Own session: a terminal's Ctrl-C then reaches only the launcher, which stops the
        // children in reverse start order instead of all of them racing each other.
        if (SETSID != null) {
            full.add(SETSID.toString());
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.PIPE);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        return new ChildProcess(name, process, log);
    }

    /** Runs a short-lived command to completion, output appended to the log; returns its exit code. */
    static int run(List<String> command, Map<String, String> env, Path workDir, Path log, Duration timeout)
            throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException(String.join(" ", command.subList(0, Math.min(4, command.size())))
                    + "... did not finish within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    @Override
    public Optional<Long> pid() {
        return Optional.of(process.pid());
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public CompletableFuture<?> onExit() {
        return process.onExit();
    }

    @Override
    public String exitReport() {
        return "exited (exit " + process.exitValue() + "); " + lastLines(40);
    }

    @Override
    public Path log() {
        return log;
    }

    /** Every process this child owns, including descendants already seen. */
    @Override
    public List<ProcessHandle> processes() {
        rememberDescendants();
        List<ProcessHandle> handles = new ArrayList<>();
        handles.add(process.toHandle());
        handles.addAll(seenDescendants);
        return handles;
    }

    private void rememberDescendants() {
        process.descendants().forEach(seenDescendants::add);
    }

    /** Every later stop waits at least this long before it kills. */
    ChildProcess minimumStopGrace(Duration grace) {
        this.minimumStopGrace = grace;
        return this;
    }

    /** SIGTERM, a grace period, then SIGKILL; the same for any descendant left behind. */
    @Override
    public void stop(Duration requestedGrace) {
        Duration grace = requestedGrace.compareTo(minimumStopGrace) < 0 ? minimumStopGrace : requestedGrace;
        rememberDescendants();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    System.out.println("  " + name + " did not stop within " + grace.toSeconds() + " s; killing it");
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        for (ProcessHandle descendant : seenDescendants) {
            if (descendant.isAlive()) {
                descendant.destroy();
                try {
                    descendant.onExit().get(3, TimeUnit.SECONDS);
                } catch (Exception e) {
                    descendant.destroyForcibly();
                }
            }
        }
    }

    /** SIGKILL at once, descendants too: a crash, for fault drills. */
    @Override
    public void kill() {
        rememberDescendants();
        process.destroyForcibly();
        seenDescendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - 64 * 1024);
            byte[] bytes = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\r?\n");
            int start = Math.max(0, all.length - lines);
            StringBuilder out = new StringBuilder();
            for (int i = start; i < all.length; i++) {
                out.append("    | ").append(all[i]).append('\n');
            }
            return out.toString();
        } catch (IOException e) {
            return "(could not read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Keeps the previous run's log as &lt;name&gt;.log.1 so a crash can still be read after a restart. */
    private static void rotate(Path log) throws IOException {
        if (Files.exists(log)) {
            Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(log, "# started " + Instant.now() + "\n");
    }

    private static Path findSetsid() {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "setsid");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
