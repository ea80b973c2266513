package dev.mailtrail.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * .mailtrail/mailtrail.pid: the launcher's pid on the first line ("&lt;pid&gt; launcher", read by
 * ./mailtrail clean), then one line per process it started, so a launcher killed with SIGKILL
 * leaves enough behind for the next one to clean up after it.
 */
final class PidFile {

    private final Path file;
    private final Map<String, Long> entries = new LinkedHashMap<>();

    PidFile(Path file) {
        this.file = file;
    }

    /** The pid of a launcher that is still running with this state directory, if any. */
    static Optional<Long> runningLauncher(Path file) {
        return read(file).entrySet().stream()
                .filter(e -> e.getKey().equals("launcher"))
                .map(Map.Entry::getValue)
                .filter(pid -> pid != ProcessHandle.current().pid())
                .filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .findFirst();
    }

    /**
     * Processes a dead launcher left behind (recorded in the pid file and still alive, and still
     * looking like ours, since pids get reused).
     */
    static List<ProcessHandle> leftovers(Path file, String marker) {
        List<ProcessHandle> alive = new ArrayList<>();
        for (Map.Entry<String, Long> entry : read(file).entrySet()) {
            if (entry.getKey().equals("launcher")) {
                continue;
            }
            ProcessHandle.of(entry.getValue())
                    .filter(ProcessHandle::isAlive)
                    .filter(h -> entry.getKey().equals(Component.POSTGRES.id())
                            ? h.info()
                                    .command()
                                    .map(c -> c.endsWith("/postgres"))
                                    .orElse(false)
                            : h.info()
                                    .commandLine()
                                    .map(c -> c.contains(marker))
                                    .orElse(false))
                    .ifPresent(alive::add);
        }
        return alive;
    }

    synchronized void put(String name, long pid) throws IOException {
        entries.put(name, pid);
        write();
    }

    synchronized void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // nothing useful to do while shutting down
        }
    }

    private void write() throws IOException {
        Files.createDirectories(file.getParent());
        StringBuilder text = new StringBuilder();
        entries.forEach((name, pid) -> text.append(pid).append(' ').append(name).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, Long> read(Path file) {
        Map<String, Long> result = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return result;
        }
        try {
            for (String line : Files.readAllLines(file)) {
                String[] parts = line.trim().split("\\s+", 2);
                if (parts.length == 2) {
                    try {
                        result.put(parts[1], Long.parseLong(parts[0]));
                    } catch (NumberFormatException ignored) {
                        // a corrupt line is as good as none
                    }
                }
            }
        } catch (IOException ignored) {
            // unreadable: treat as absent
        }
        return result;
    }
}
