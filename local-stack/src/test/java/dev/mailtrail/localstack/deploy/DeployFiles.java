package dev.mailtrail.localstack.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reading the deployment files of the repository, and running the tools that check them. */
final class DeployFiles {

    private DeployFiles() {}

    /** The repository root: the first ancestor of the working directory holding the Maven wrapper and k8s/. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            if (Files.isRegularFile(dir.resolve("mvnw")) && Files.isDirectory(dir.resolve("k8s"))) {
                return dir;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException(
                "repository root (mvnw + k8s/) not found above " + Path.of("").toAbsolutePath());
    }

    /** KEY=VALUE lines of an env file such as .env, in order; comments and blank lines skipped. */
    static Map<String, String> envFile(Path file) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            env.put(trimmed.substring(0, eq).strip(), trimmed.substring(eq + 1).strip());
        }
        return env;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Map<String, Object>> documents(String yaml) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml)) {
            if (doc instanceof Map<?, ?>) {
                docs.add(map(doc));
            }
        }
        return docs;
    }

    /**
     * A strategic-merge patch of the kind the overlays use, applied to a copy of {@code base}: maps merge key by key,
     * lists of named items (containers, env, volumes) and of mounts merge item by item, other values are replaced.
     * Enough for the raw-file checks; kubectl kustomize is the real thing.
     */
    static Object merge(Object base, Object patch) {
        if (base instanceof Map<?, ?> && patch instanceof Map<?, ?>) {
            Map<String, Object> merged = new LinkedHashMap<>(map(base));
            map(patch)
                    .forEach((key, value) ->
                            merged.put(key, merged.containsKey(key) ? merge(merged.get(key), value) : value));
            return merged;
        }
        if (base instanceof List<?> && patch instanceof List<?>) {
            String key = list(patch).stream().allMatch(item -> at(item, "name") != null)
                    ? "name"
                    : list(patch).stream().allMatch(item -> at(item, "mountPath") != null) ? "mountPath" : null;
            if (key == null) {
                return patch;
            }
            List<Object> merged = new ArrayList<>(list(base));
            for (Object item : list(patch)) {
                int at = -1;
                for (int i = 0; i < merged.size() && at < 0; i++) {
                    at = String.valueOf(text(item, key)).equals(text(merged.get(i), key)) ? i : -1;
                }
                if (at < 0) {
                    merged.add(item);
                } else {
                    merged.set(at, merge(merged.get(at), item));
                }
            }
            return merged;
        }
        return patch;
    }

    // --- navigating parsed YAML ---

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object node) {
        return node instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** The node at a path of map keys (and list indexes as numbers); null when any step is missing. */
    static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            if (step instanceof Integer index) {
                List<Object> l = list(current);
                current = index < l.size() ? l.get(index) : null;
            } else {
                current = map(current).get(step);
            }
            if (current == null) {
                return null;
            }
        }
        return current;
    }

    static String text(Object node, Object... path) {
        Object value = at(node, path);
        return value == null ? null : String.valueOf(value);
    }

    static String kind(Map<String, Object> doc) {
        return text(doc, "kind");
    }

    static String name(Map<String, Object> doc) {
        return text(doc, "metadata", "name");
    }

    /** "10s", "500ms", "2m" or plain seconds, as Spring reads a Duration property. */
    static Duration duration(String value) {
        Matcher m = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?").matcher(value.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: " + value);
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofSeconds(amount);
        };
    }

    // --- external tools ---

    /** The executable of that name on PATH, if any. */
    static Optional<Path> onPath(String tool) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, tool);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    record Result(int exitCode, String stdout, String stderr) {

        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** Runs a command in a directory; output goes through files, so a chatty tool cannot block on a full pipe. */
    static Result run(Path dir, List<String> command) {
        return run(dir, command, Map.of());
    }

    /** The same with the environment changed: each variable set to its value, or removed where the value is null. */
    static Result run(Path dir, List<String> command, Map<String, String> environment) {
        try {
            Path out = Files.createTempFile("mailtrail-tool", ".out");
            Path err = Files.createTempFile("mailtrail-tool", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                environment.forEach((name, value) -> {
                    if (value == null) {
                        builder.environment().remove(name);
                    } else {
                        builder.environment().put(name, value);
                    }
                });
                Process process = builder.start();
                if (!process.waitFor(3, TimeUnit.MINUTES)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("timed out after 3 minutes: " + command);
                }
                return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
