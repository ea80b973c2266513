package dev.mailtrail.localstack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What of the stack runs now, in start order, with the pid file that lets a later launcher clean up after a killed
 * one. One lock guards it and the closing flag, so that a close racing a start stops everything that start began.
 */
final class Started {

    private final Object lock = new Object();
    private final Map<Component, Running> running = new EnumMap<>(Component.class);
    private final Set<Component> ready = ConcurrentHashMap.newKeySet();
    private final PidFile pidFile;
    private boolean closing;

    Started(PidFile pidFile) {
        this.pidFile = pidFile;
    }

    /** Launches the part unless the stack is closing, and records it (and its pid) at once. */
    Running launch(Part part) throws IOException, InterruptedException {
        synchronized (lock) {
            ensureNotClosing();
            if (running.containsKey(part.component())) {
                throw new StackException(part.component() + " is already running");
            }
            Running started = part.launch();
            running.put(part.component(), started);
            Optional<Long> pid = started.pid();
            if (pid.isPresent()) {
                pidFile.put(part.component().id(), pid.get());
            }
            return started;
        }
    }

    void ready(Component component) {
        ready.add(component);
    }

    boolean isReady(Component component) {
        return ready.contains(component);
    }

    /** Forgets a component about to be stopped on purpose; empty when it does not run. */
    Optional<Running> remove(Component component) {
        synchronized (lock) {
            ensureNotClosing();
            ready.remove(component);
            return Optional.ofNullable(running.remove(component));
        }
    }

    Optional<Running> get(Component component) {
        synchronized (lock) {
            return Optional.ofNullable(running.get(component));
        }
    }

    boolean isEmpty() {
        synchronized (lock) {
            return running.isEmpty();
        }
    }

    boolean isClosing() {
        synchronized (lock) {
            return closing;
        }
    }

    void ensureNotClosing() {
        synchronized (lock) {
            if (closing) {
                throw new StackException("stopped while starting");
            }
        }
    }

    /** While starting, any component that died (not only the ones being started) ends the start. */
    void failIfAnyExited() {
        synchronized (lock) {
            running.forEach((component, started) -> {
                if (!started.isAlive()) {
                    throw new StackException(component + " exited during start-up: " + started.exitReport());
                }
            });
        }
    }

    List<ProcessHandle> processes() {
        List<ProcessHandle> handles = new ArrayList<>();
        synchronized (lock) {
            running.values().forEach(started -> handles.addAll(started.processes()));
        }
        return handles;
    }

    /** Completes with the first component to exit. */
    CompletableFuture<Component> anyExit() {
        CompletableFuture<Component> any = new CompletableFuture<>();
        synchronized (lock) {
            running.forEach((component, started) -> started.onExit().thenRun(() -> any.complete(component)));
        }
        return any;
    }

    /** Marks the stack closing; what to stop, in reverse start order, or empty if it was closing already. */
    Optional<List<Map.Entry<Component, Running>>> close() {
        synchronized (lock) {
            if (closing) {
                return Optional.empty();
            }
            closing = true;
            List<Map.Entry<Component, Running>> toStop = new ArrayList<>(running.entrySet());
            Collections.reverse(toStop);
            return Optional.of(toStop);
        }
    }
}
