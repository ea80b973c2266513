package dev.mailtrail.bench;

import dev.mailtrail.localstack.Component;
import dev.mailtrail.localstack.Stack;
import dev.mailtrail.localstack.StackConfig;
import dev.mailtrail.localstack.StackException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The stack under test: one this run started (fresh state in .mailtrail/&lt;scope&gt;, the ingest under the
 * {@code bench} profile) or one already running (--attach). Pauses processes with SIGSTOP/SIGCONT and always
 * lets them go again.
 */
final class Target implements AutoCloseable {

    static final Component PROJECTION_SERVICE = Component.SEND_SERVICE;
    static final Component INGEST_SERVICE = Component.WEBHOOK_INGEST;

    private final StackConfig config;
    private final Stack stack;
    private final Set<Long> paused = ConcurrentHashMap.newKeySet();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final String TRACING_SAMPLING_VARIABLE = "MANAGEMENT_TRACING_SAMPLING_PROBABILITY";
    private static final String PRODUCTION_TRACING_SAMPLING = "0.1";

    private final String tracingSampling;

    private Target(StackConfig config, Stack stack, String tracingSampling) {
        this.config = config;
        this.stack = stack;
        this.tracingSampling = tracingSampling;
    }

    /**
     * Starts a stack of our own on fresh data in &lt;MAILTRAIL_HOME or .mailtrail&gt;/&lt;scope&gt;; {@code settings}
     * are environment values the services get unless the caller's environment sets them.
     */
    static Target start(Path repo, String scope, Map<String, String> settings, PrintStream out) throws IOException {
        Map<String, String> env = new HashMap<>(System.getenv());
        settings.forEach(env::putIfAbsent);
        Path base = repo.resolve(env.getOrDefault("MAILTRAIL_HOME", ".mailtrail"))
                .toAbsolutePath()
                .normalize();
        env.put("MAILTRAIL_HOME", base.resolve(scope).toString());
        // The ingest's /bench/noop baseline exists only under this profile; the other services have no such profile.
        String profiles = env.getOrDefault("SPRING_PROFILES_ACTIVE", "");
        env.put("SPRING_PROFILES_ACTIVE", profiles.isBlank() ? "bench" : profiles + ",bench");
        // measured as deployed: k8s/overlays/prod traces one request in ten (local runs trace every one)
        String sampling = env.computeIfAbsent(TRACING_SAMPLING_VARIABLE, name -> PRODUCTION_TRACING_SAMPLING);
        StackConfig config = StackConfig.fromEnvironment(env, repo, false);
        // Every run starts empty: tables and topics that grew in earlier runs would skew the figures.
        deleteRecursively(config.home().resolve("postgres"));
        deleteRecursively(config.home().resolve("kafka"));
        out.println("starting a local stack (state in " + config.home() + ") ...");
        Stack stack = Stack.create(config, out);
        Target target = new Target(config, stack, sampling);
        Runtime.getRuntime().addShutdownHook(new Thread(target::close, "bench-stop-stack"));
        try {
            stack.startAll();
        } catch (StackException e) {
            stack.close();
            if (e.getMessage().startsWith("port ")) {
                throw new StackException(
                        e.getMessage() + "\n(a stack already running? measure it with ./mailtrail bench --attach)");
            }
            throw e;
        }
        out.printf("stack ready in %.1f s%n", stack.readyIn().toMillis() / 1000.0);
        return target;
    }

    /** A stack started elsewhere (./mailtrail up): every service must answer UP. */
    static Target attach(Path repo, PrintStream out) {
        StackConfig config = StackConfig.fromEnvironment(System.getenv(), repo, false);
        Target target = new Target(config, null, null);
        Runtime.getRuntime().addShutdownHook(new Thread(target::close, "bench-resume"));
        for (Component service : Component.services()) {
            String url = config.healthUrl(service);
            if (!target.healthy(url)) {
                throw new StackException("no running stack: " + service + " at " + url
                        + " is not UP; start one with ./mailtrail up, or run ./mailtrail bench without --attach");
            }
        }
        out.println("attached to the running stack (" + config.ingestUrl() + ", " + config.sendUrl() + ")");
        return target;
    }

    StackConfig config() {
        return config;
    }

    /** The trace sampling the started stack runs with; null for an attached one (configured elsewhere). */
    String tracingSampling() {
        return tracingSampling;
    }

    boolean attached() {
        return stack == null;
    }

    /** The stack this run started; drills need one. */
    Stack stack() {
        if (stack == null) {
            throw new IllegalStateException("attached to a stack started elsewhere");
        }
        return stack;
    }

    /** A component's pid: from our own stack, or from the pid file of the stack we attached to. */
    Optional<Long> pid(Component component) {
        if (stack != null) {
            return stack.pid(component);
        }
        try {
            for (String line : Files.readAllLines(config.pidFile())) {
                String[] parts = line.trim().split("\\s+", 2);
                if (parts.length == 2 && parts[1].equals(component.id())) {
                    long pid = Long.parseLong(parts[0]);
                    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no pid file: the stack was not started by ./mailtrail up here
        }
        return Optional.empty();
    }

    /** SIGSTOP; false when the component's pid is unknown. {@link #close} sends SIGCONT to whatever is left paused. */
    boolean pause(Component component) {
        Optional<Long> pid = pid(component);
        if (pid.isEmpty()) {
            return false;
        }
        signal("STOP", pid.get());
        paused.add(pid.get());
        return true;
    }

    void resume(Component component) {
        pid(component).ifPresent(pid -> {
            if (paused.remove(pid)) {
                signal("CONT", pid);
            }
        });
    }

    Connection jdbc() throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + config.dbHost() + ":" + config.dbPort() + "/" + config.dbName(),
                config.dbUser(),
                config.dbPassword());
    }

    boolean healthy(String url) {
        String body = get(url);
        return body != null && body.contains("\"UP\"");
    }

    /** The service's Prometheus scrape; null when it cannot be read. */
    String prometheus(Component service) {
        return get(config.healthUrl(service).replace("/actuator/health", "/actuator/prometheus"));
    }

    /** The body of a 200 answer; null for any other answer or none. */
    private String get(String url) {
        try {
            HttpResponse<String> response = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Waits until a service reports UP again (after a restart or an outage). */
    boolean awaitHealthy(Component service, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (healthy(config.healthUrl(service))) {
                return true;
            }
            Thread.sleep(250);
        }
        return false;
    }

    @Override
    public synchronized void close() {
        for (Long pid : List.copyOf(paused)) {
            signal("CONT", pid);
            paused.remove(pid);
        }
        if (stack != null && !stack.isClosing()) {
            stack.close();
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new StackException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new StackException("kill -" + signal + " " + pid + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
