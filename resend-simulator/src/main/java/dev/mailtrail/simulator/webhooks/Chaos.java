package dev.mailtrail.simulator.webhooks;

import dev.mailtrail.simulator.LiveSettings;
import dev.mailtrail.simulator.SimulatorSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.stereotype.Component;

/** The dice behind the chaos settings: reordered events, extra delays, duplicate deliveries, lost events. All off by default. */
@Component
class Chaos {

    private final LiveSettings settings;

    Chaos(LiveSettings settings) {
        this.settings = settings;
    }

    /** The events, shuffled with probability {@code reorder-rate}. */
    List<EmailEventType> order(List<EmailEventType> events) {
        if (!happens(settings.get().reorderRate())) {
            return events;
        }
        List<EmailEventType> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled, ThreadLocalRandom.current());
        return shuffled;
    }

    /** A delay drawn evenly from {@code [extra-delay-min, extra-delay-max]}. */
    Duration extraDelay() {
        SimulatorSettings current = settings.get();
        long spanNanos = current.extraDelayMax().minus(current.extraDelayMin()).toNanos();
        return current.extraDelayMin()
                .plusNanos(spanNanos == 0 ? 0 : ThreadLocalRandom.current().nextLong(spanNanos + 1));
    }

    /** Whether a delivered webhook is delivered once more ({@code duplicate-rate}). */
    boolean duplicate() {
        return happens(settings.get().duplicateRate());
    }

    /** Whether every automatic attempt of a new event is to fail without reaching the webhook URL ({@code loss-rate}). */
    boolean lost() {
        return happens(settings.get().lossRate());
    }

    private static boolean happens(double probability) {
        return probability > 0 && ThreadLocalRandom.current().nextDouble() < probability;
    }
}
