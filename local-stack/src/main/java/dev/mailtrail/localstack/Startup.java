package dev.mailtrail.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Starts components together and waits until each is ready, printing a line for each, or says why not. */
final class Startup {

    private static final Duration POLL = Duration.ofMillis(250);

    private final Map<Component, Part> parts;
    private final Started started;
    private final PrintStream out;

    Startup(Map<Component, Part> parts, Started started, PrintStream out) {
        this.parts = parts;
        this.started = started;
        this.out = out;
    }

    /** Launches the components, then waits until each answers {@link Health#UP}, within the longest of their limits. */
    void start(List<Component> components) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Map<Component, Running> pending = new EnumMap<>(Component.class);
        for (Component component : components) {
            Part part = parts.get(component);
            if (part.ours()) {
                pending.put(component, started.launch(part));
            } else {
                out.printf("  %-13s external %s%n", component.label(), part.address());
            }
        }
        Duration timeout = pending.keySet().stream()
                .map(c -> parts.get(c).readyTimeout())
                .max(Duration::compareTo)
                .orElse(Duration.ZERO);
        long deadline = t0 + timeout.toNanos();
        Map<Component, String> lastHealth = new EnumMap<>(Component.class);
        while (true) {
            started.ensureNotClosing();
            started.failIfAnyExited();
            for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                var entry = it.next();
                Part part = parts.get(entry.getKey());
                String health = part.health();
                lastHealth.put(entry.getKey(), health);
                if (Health.UP.equals(health)) {
                    started.ready(entry.getKey());
                    out.printf(
                            "  %-13s %s  (%s)  %s%n",
                            entry.getKey().label(), part.address(), part.details(entry.getValue()), seconds(t0));
                    it.remove();
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw notReady(pending, lastHealth, timeout);
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private StackException notReady(
            Map<Component, Running> pending, Map<Component, String> lastHealth, Duration timeout) {
        StringBuilder message = new StringBuilder("not healthy within " + timeout.toSeconds() + " s:");
        pending.forEach((component, running) -> message.append("\n  ")
                .append(component)
                .append(": ")
                .append(parts.get(component).probe())
                .append(" -> ")
                .append(lastHealth.get(component))
                .append("; ")
                .append(running.lastLines(20)));
        return new StackException(message.toString());
    }

    static String seconds(long startNanos) {
        return String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - startNanos) / 1e9);
    }
}
