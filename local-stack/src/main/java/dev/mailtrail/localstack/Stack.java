package dev.mailtrail.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The running local stack: PostgreSQL, a Kafka broker and the three services, started in that order
 * and stopped in reverse. Usable from the CLI ({@link LocalStack}) and from tests.
 */
public final class Stack implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** A JVM still starting has nothing to drain, and Spring only honours SIGTERM once refresh is over. */
    private static final Duration STARTING_STOP_GRACE = Duration.ofSeconds(5);
    private static final Duration KAFKA_READY_TIMEOUT = Duration.ofSeconds(120);

    private final StackConfig config;
    private final PrintStream out;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Object lock = new Object();
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private boolean closing;
    private EmbeddedDatabase database;
    private final List<ChildProcess> children = new ArrayList<>();
    private final Set<String> ready = ConcurrentHashMap.newKeySet();
    private final PidFile pidFile;
    private Duration readyIn;
    /** Only a stack that wrote the pid file may remove it (a refused start must leave another's alone). */
    private volatile boolean ownsPidFile;

    private Stack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.pidFile = new PidFile(config.pidFile());
    }

    /** Starts everything and returns once every component is healthy; on failure stops what it started. */
    public static Stack start(StackConfig config, PrintStream out) {
        Stack stack = new Stack(config, out);
        try {
            stack.startAll();
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** Like {@link #start} but returns the stack before starting so a shutdown hook can be registered first. */
    public static Stack create(StackConfig config, PrintStream out) {
        return new Stack(config, out);
    }

    public void startAll() {
        long began = System.nanoTime();
        List<Path> missing = config.missingJars();
        if (!missing.isEmpty()) {
            StringBuilder message = new StringBuilder("missing exec jar(s); build the services first (./mvnw -B -q -DskipTests package):");
            missing.forEach(jar -> message.append("\n  ").append(jar));
            throw new StackException(message.toString());
        }
        PidFile.runningLauncher(config.pidFile()).ifPresent(pid -> {
            throw new StackException("a local stack is already running with state in " + config.home() + " (launcher pid " + pid + ")");
        });
        cleanUpAfterDeadLauncher();
        config.portsToBind().forEach((name, port) -> {
            if (!Ports.isFree(port)) {
                throw new StackException("port " + port + " (" + name + ") is already in use; stop whatever listens there"
                        + " (ss -ltnp 'sport = :" + port + "') or choose another port (see ./mailtrail help)");
            }
        });

        try {
            Files.createDirectories(config.logs());
            pidFile.put("launcher", ProcessHandle.current().pid());
            ownsPidFile = true;
            startPostgres();
            startKafka();
            if (!config.infraOnly()) {
                startServices(StackConfig.SERVICES);
            }
        } catch (IOException e) {
            throw new StackException("could not start the local stack: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new StackException("PostgreSQL started but preparing database '" + config.dbName() + "' failed: "
                    + e.getMessage() + "\n" + ChildProcess.tail(config.logs().resolve("postgres.log"), 20), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while starting");
        }
        readyIn = Duration.ofNanos(System.nanoTime() - began);
    }

    private void startPostgres() throws IOException, SQLException {
        if (!config.embeddedPostgres()) {
            out.printf("  postgres      external %s:%d/%s%n", config.dbHost(), config.dbPort(), config.dbName());
            return;
        }
        long t0 = System.nanoTime();
        synchronized (lock) {
            ensureNotClosing();
            try {
                database = EmbeddedDatabase.start(config);
            } catch (StackException e) {
                throw e;
            } catch (IOException | RuntimeException e) {
                throw new StackException("PostgreSQL did not start: " + e.getMessage() + "; last lines of "
                        + config.logs().resolve("postgres.log") + ":\n" + ChildProcess.tail(config.logs().resolve("postgres.log"), 20), e);
            }
            Optional<ProcessHandle> postmaster = database.postmaster();
            if (postmaster.isPresent()) {
                pidFile.put("postgres", postmaster.get().pid());
            }
        }
        out.printf("  postgres      127.0.0.1:%d/%s  (embedded 17, data in %s)  %s%n", config.dbPort(), config.dbName(),
                config.home().resolve("postgres"), seconds(t0));
    }

    private void startKafka() throws IOException, InterruptedException {
        if (!config.embeddedKafka()) {
            out.printf("  kafka         external %s%n", config.kafkaBootstrapServers());
            return;
        }
        long t0 = System.nanoTime();
        ChildProcess kafka;
        synchronized (lock) {
            ensureNotClosing();
            kafka = KafkaBroker.start(config, java);
            children.add(kafka);
            pidFile.put("kafka", kafka.pid());
        }
        long deadline = System.nanoTime() + KAFKA_READY_TIMEOUT.toNanos();
        while (!KafkaBroker.answers("127.0.0.1", config.kafkaPort())) {
            ensureNotClosing();
            if (!kafka.isAlive()) {
                throw new StackException("kafka exited during start-up (exit " + kafka.process().exitValue() + "); last lines of "
                        + kafka.log() + ":\n" + kafka.tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("kafka did not answer on 127.0.0.1:" + config.kafkaPort() + " within "
                        + KAFKA_READY_TIMEOUT.toSeconds() + " s; last lines of " + kafka.log() + ":\n" + kafka.tail(30));
            }
            Thread.sleep(250);
        }
        ready.add(kafka.name());
        out.printf("  kafka         %s  (KRaft broker+controller, pid %d)  %s%n", config.kafkaBootstrapServers(), kafka.pid(), seconds(t0));
    }

    private void startServices(List<String> modules) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Map<String, ChildProcess> pending = new LinkedHashMap<>();
        for (String module : modules) {
            List<String> command = new ArrayList<>();
            command.add(java.toString());
            command.addAll(config.serviceJvmOptions());
            // Marks the process as ours, so a later launcher can recognise it after a SIGKILL.
            command.add("-Dlocalstack.home=" + config.home());
            command.add("-jar");
            command.add(config.jarOf(module).toString());
            synchronized (lock) {
                ensureNotClosing();
                ChildProcess child = ChildProcess.start(module, command, config.envOf(module), config.home(),
                        config.logs().resolve(module + ".log"));
                children.add(child);
                pidFile.put(module, child.pid());
                pending.put(module, child);
            }
        }
        long deadline = System.nanoTime() + config.readyTimeout().toNanos();
        Map<String, String> lastHealth = new LinkedHashMap<>();
        while (!pending.isEmpty()) {
            ensureNotClosing();
            for (ChildProcess other : children) {
                if (!other.isAlive()) {
                    throw new StackException(other.name() + " exited during start-up (exit " + other.process().exitValue()
                            + "); last lines of " + other.log() + ":\n" + other.tail(40));
                }
            }
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                String health = health(config.serviceHealthUrl(entry.getKey()));
                lastHealth.put(entry.getKey(), health);
                if ("UP".equals(health)) {
                    ready.add(entry.getKey());
                    out.printf("  %-13s %s  (pid %d)  %s%n", shortName(entry.getKey()), publicUrl(entry.getKey()),
                            entry.getValue().pid(), seconds(t0));
                    it.remove();
                }
            }
            if (pending.isEmpty()) {
                break;
            }
            if (System.nanoTime() > deadline) {
                StringBuilder message = new StringBuilder("not healthy within " + config.readyTimeout().toSeconds() + " s:");
                for (String module : pending.keySet()) {
                    ChildProcess child = pending.get(module);
                    message.append("\n  ").append(module).append(": ").append(config.serviceHealthUrl(module))
                            .append(" -> ").append(lastHealth.get(module)).append("; last lines of ").append(child.log())
                            .append(":\n").append(child.tail(20));
                }
                throw new StackException(message.toString());
            }
            Thread.sleep(500);
        }
    }

    /** "UP", another status, "HTTP 503 ..." or "no answer". */
    String health(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
            String status = Json.field(response.body(), "status").orElse(null);
            if (response.statusCode() == 200 && status != null) {
                return status;
            }
            return "HTTP " + response.statusCode() + " " + abbreviate(response.body());
        } catch (IOException e) {
            return "no answer";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * Completes when any process of the stack exits (the name), which after a successful start is
     * always unexpected; never completes for a stack that is being closed.
     */
    public CompletableFuture<String> anyExit() {
        List<CompletableFuture<String>> exits = new ArrayList<>();
        synchronized (lock) {
            for (ChildProcess child : children) {
                exits.add(child.process().onExit().thenApply(p -> child.name()));
            }
            if (database != null) {
                database.postmaster().ifPresent(pm -> exits.add(pm.onExit().thenApply(p -> "postgres")));
            }
        }
        CompletableFuture<String> any = new CompletableFuture<>();
        exits.forEach(f -> f.thenAccept(any::complete));
        return any;
    }

    /** Describes why a component exited, with the tail of its log. */
    public String describeExit(String name) {
        for (ChildProcess child : children) {
            if (child.name().equals(name)) {
                return name + " exited (exit " + child.process().exitValue() + "); last lines of " + child.log() + ":\n"
                        + child.tail(40);
            }
        }
        return name + " exited; see " + config.logs().resolve(name + ".log");
    }

    /** Whether any process was started (and so whether stopping has anything to report). */
    public boolean startedAnything() {
        synchronized (lock) {
            return database != null || !children.isEmpty();
        }
    }

    public boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    public Duration readyIn() {
        return readyIn;
    }

    public StackConfig config() {
        return config;
    }

    /** Every process the stack started (including descendants seen and the postmaster). */
    public List<ProcessHandle> processes() {
        List<ProcessHandle> handles = new ArrayList<>();
        synchronized (lock) {
            for (ChildProcess child : children) {
                handles.addAll(child.handles());
            }
            if (database != null) {
                database.postmaster().ifPresent(handles::add);
            }
        }
        return handles;
    }

    /**
     * Stops one component and leaves the rest running (fault drills): "postgres" (always a clean
     * shutdown), "kafka" or a service module, which with {@code kill} gets SIGKILL at once.
     */
    public void stopComponent(String name, boolean kill) {
        if ("postgres".equals(name)) {
            EmbeddedDatabase db;
            synchronized (lock) {
                ensureNotClosing();
                db = database;
                database = null;
            }
            if (db == null) {
                throw new StackException("postgres is not running in this stack");
            }
            try {
                db.close();
            } catch (IOException e) {
                throw new StackException("stopping postgres failed: " + e.getMessage(), e);
            }
            return;
        }
        ChildProcess child;
        synchronized (lock) {
            ensureNotClosing();
            child = children.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new StackException(name + " is not running in this stack"));
            children.remove(child);
            ready.remove(name);
        }
        if (kill) {
            child.kill();
        } else {
            child.stop(STOP_GRACE);
        }
    }

    /** Starts a component stopped with {@link #stopComponent} again, on the same data and ports; returns once it is ready. */
    public void startComponent(String name) {
        synchronized (lock) {
            boolean running = "postgres".equals(name) ? database != null
                    : children.stream().anyMatch(c -> c.name().equals(name));
            if (running) {
                throw new StackException(name + " is already running");
            }
        }
        try {
            switch (name) {
                case "postgres" -> startPostgres();
                case "kafka" -> startKafka();
                default -> {
                    if (!StackConfig.SERVICES.contains(name)) {
                        throw new IllegalArgumentException("unknown component " + name);
                    }
                    startServices(List.of(name));
                }
            }
            synchronized (lock) {
                // back in start order, so close() still stops the services before Kafka
                children.sort(Comparator.comparingInt(c -> "kafka".equals(c.name()) ? -1 : StackConfig.SERVICES.indexOf(c.name())));
            }
        } catch (IOException | SQLException e) {
            throw new StackException("could not start " + name + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while starting " + name);
        }
    }

    /** The pid of a running component ("postgres": the postmaster), e.g. to pause it with SIGSTOP. */
    public Optional<Long> pid(String name) {
        synchronized (lock) {
            if ("postgres".equals(name)) {
                return database == null ? Optional.empty() : database.postmaster().map(ProcessHandle::pid);
            }
            return children.stream().filter(c -> c.name().equals(name) && c.isAlive()).findFirst().map(ChildProcess::pid);
        }
    }

    /** Stops everything this stack started, services first, PostgreSQL last. Idempotent; waits for a concurrent close. */
    @Override
    public void close() {
        List<ChildProcess> toStop;
        EmbeddedDatabase db;
        synchronized (lock) {
            if (closing) {
                toStop = null;
                db = null;
            } else {
                closing = true;
                toStop = new ArrayList<>(children);
                db = database;
            }
        }
        if (toStop == null) {
            try {
                closeDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            Collections.reverse(toStop);
            for (ChildProcess child : toStop) {
                if (child.isAlive()) {
                    long t0 = System.nanoTime();
                    child.stop(ready.contains(child.name()) ? STOP_GRACE : STARTING_STOP_GRACE);
                    out.printf("  stopped %-22s %s%n", child.name(), seconds(t0));
                } else {
                    child.stop(STOP_GRACE); // descendants may still be around
                }
            }
            if (db != null) {
                long t0 = System.nanoTime();
                try {
                    db.close();
                    out.printf("  stopped %-22s %s%n", "postgres", seconds(t0));
                } catch (IOException | RuntimeException e) {
                    out.println("  stopping postgres failed: " + e.getMessage());
                }
            }
        } finally {
            if (ownsPidFile) {
                pidFile.delete();
            }
            closeDone.countDown();
        }
    }

    private void cleanUpAfterDeadLauncher() {
        List<ProcessHandle> leftovers = PidFile.leftovers(config.pidFile(), config.home().toString());
        for (ProcessHandle handle : leftovers) {
            out.println("  stopping pid " + handle.pid() + " left over from a launcher that did not shut down ("
                    + handle.info().command().orElse("?") + ")");
            handle.destroy();
            try {
                handle.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        if (!leftovers.isEmpty() || Files.exists(config.pidFile())) {
            pidFile.delete();
        }
    }

    private void ensureNotClosing() {
        synchronized (lock) {
            if (closing) {
                throw new StackException("stopped while starting");
            }
        }
    }

    private String publicUrl(String module) {
        return switch (module) {
            case "resend-simulator" -> config.simulatorUrl();
            case "webhook-ingest-service" -> config.ingestUrl();
            case "send-service" -> config.sendUrl();
            default -> module;
        };
    }

    private static String shortName(String module) {
        return switch (module) {
            case "resend-simulator" -> "simulator";
            case "webhook-ingest-service" -> "ingest";
            case "send-service" -> "send";
            default -> module;
        };
    }

    private static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }

    private static String abbreviate(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
