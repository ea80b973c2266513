package dev.mailtrail.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * The running local stack: its {@link Component}s started in order (PostgreSQL, Kafka, then the three services
 * together) and stopped in reverse. Usable from the CLI ({@link LocalStack}), the bench's drills and tests.
 */
public final class Stack implements AutoCloseable {

    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    /** A JVM still starting has nothing to drain, and Spring only honours SIGTERM once refresh is over. */
    private static final Duration STARTING_STOP_GRACE = Duration.ofSeconds(5);

    private final StackConfig config;
    private final PrintStream out;
    private final PidFile pidFile;
    private final Started started;
    private final Startup startup;
    private final CountDownLatch closeDone = new CountDownLatch(1);
    private Duration readyIn;
    /** Only a stack that wrote the pid file may remove it (a refused start must leave another's alone). */
    private volatile boolean ownsPidFile;

    private Stack(StackConfig config, PrintStream out) {
        this.config = config;
        this.out = out;
        this.pidFile = new PidFile(config.pidFile());
        this.started = new Started(pidFile);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Map<Component, Part> parts = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            parts.put(component, Part.of(component, config, java));
        }
        this.startup = new Startup(parts, started, out);
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
        Preflight.check(config, out);
        try {
            Files.createDirectories(config.logs());
            pidFile.put("launcher", ProcessHandle.current().pid());
            ownsPidFile = true;
            startup.start(List.of(Component.POSTGRES));
            startup.start(List.of(Component.KAFKA));
            if (!config.infraOnly()) {
                startup.start(Component.services());
            }
        } catch (IOException e) {
            throw new StackException("could not start the local stack: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while starting");
        }
        readyIn = Duration.ofNanos(System.nanoTime() - began);
    }

    /** Starts a component stopped with {@link #stop} again, on the same data and ports; returns once it is ready. */
    public void start(Component component) {
        try {
            startup.start(List.of(component));
        } catch (IOException e) {
            throw new StackException("could not start " + component + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while starting " + component);
        }
    }

    /** Stops one component and leaves the rest running (fault drills); {@code kill}: SIGKILL at once, a crash. */
    public void stop(Component component, boolean kill) {
        Running stopped = started.remove(component)
                .orElseThrow(() -> new StackException(component + " is not running in this stack"));
        if (kill) {
            stopped.kill();
        } else {
            stopped.stop(STOP_GRACE);
        }
    }

    /**
     * Completes when any component of the stack exits, which after a successful start is always unexpected;
     * never completes for a stack that is being closed.
     */
    public CompletableFuture<Component> anyExit() {
        return started.anyExit();
    }

    /** Why a component exited, with the end of its log. */
    public String describeExit(Component component) {
        return component + " "
                + started.get(component)
                        .map(Running::exitReport)
                        .orElse("exited; see " + config.logs().resolve(component.id() + ".log"));
    }

    /** Whether any process was started (and so whether stopping has anything to report). */
    public boolean startedAnything() {
        return !started.isEmpty();
    }

    public boolean isClosing() {
        return started.isClosing();
    }

    public Duration readyIn() {
        return readyIn;
    }

    public StackConfig config() {
        return config;
    }

    /** Every process the stack started (including descendants seen and the postmaster). */
    public List<ProcessHandle> processes() {
        return started.processes();
    }

    /** The pid of a running component (PostgreSQL: the postmaster), e.g. to pause it with SIGSTOP. */
    public Optional<Long> pid(Component component) {
        return started.get(component).filter(Running::isAlive).flatMap(Running::pid);
    }

    /** Stops everything this stack started, services first, PostgreSQL last. Idempotent; waits for a concurrent close. */
    @Override
    public void close() {
        Optional<List<Map.Entry<Component, Running>>> toStop = started.close();
        if (toStop.isEmpty()) {
            try {
                closeDone.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            toStop.get().forEach(entry -> stopForGood(entry.getKey(), entry.getValue()));
        } finally {
            if (ownsPidFile) {
                pidFile.delete();
            }
            closeDone.countDown();
        }
    }

    private void stopForGood(Component component, Running running) {
        long t0 = System.nanoTime();
        boolean alive = running.isAlive();
        try {
            // one that died already may have left descendants: they get the full grace
            running.stop(started.isReady(component) || !alive ? STOP_GRACE : STARTING_STOP_GRACE);
            if (alive) {
                out.printf("  stopped %-22s %s%n", component, Startup.seconds(t0));
            }
        } catch (RuntimeException e) {
            out.println("  stopping " + component + " failed: " + e.getMessage());
        }
    }
}
