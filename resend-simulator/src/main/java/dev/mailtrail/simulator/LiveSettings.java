package dev.mailtrail.simulator;

import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/** The settings in force; starts as configured, changed through the control API, read afresh on every use. */
@Component
public class LiveSettings {

    private final SimulatorSettings configured;
    private final AtomicReference<SimulatorSettings> current;

    public LiveSettings(SimulatorSettings configured) {
        this.configured = configured;
        this.current = new AtomicReference<>(configured);
    }

    public SimulatorSettings get() {
        return current.get();
    }

    public void set(SimulatorSettings settings) {
        current.set(settings);
    }

    /** Back to the configured values. */
    public void reset() {
        current.set(configured);
    }
}
