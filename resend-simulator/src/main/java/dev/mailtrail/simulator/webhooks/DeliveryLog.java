package dev.mailtrail.simulator.webhooks;

import dev.mailtrail.simulator.SimulatorProperties;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.springframework.stereotype.Component;

/** Every webhook delivery attempt, oldest first, bounded by {@code history-limit}. */
@Component
public class DeliveryLog {

    private final int limit;
    private final Deque<DeliveryAttempt> attempts = new ArrayDeque<>();

    public DeliveryLog(SimulatorProperties properties) {
        this.limit = properties.historyLimit();
    }

    public synchronized void add(DeliveryAttempt attempt) {
        attempts.addLast(attempt);
        while (attempts.size() > limit) {
            attempts.removeFirst();
        }
    }

    public synchronized List<DeliveryAttempt> all() {
        return new ArrayList<>(attempts);
    }

    public synchronized void clear() {
        attempts.clear();
    }
}
