package dev.mailtrail.simulator.store;

import dev.mailtrail.simulator.BoundedMaps;
import dev.mailtrail.simulator.SimulatorProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The emails received, in arrival order, in memory; bounded so long benchmark runs cannot exhaust the heap. */
@Component
public class EmailStore {

    private final Map<String, SentEmail> emails;

    public EmailStore(SimulatorProperties properties) {
        this.emails = BoundedMaps.dropEldestBeyond(properties.historyLimit());
    }

    public synchronized void save(SentEmail email) {
        emails.put(email.id(), email);
    }

    public synchronized Optional<SentEmail> find(String id) {
        return Optional.ofNullable(emails.get(id));
    }

    /** Records what Resend would report as {@code last_event}; a no-op for an email already dropped from history. */
    public synchronized void updateLastEvent(String id, String lastEvent) {
        emails.computeIfPresent(id, (key, email) -> email.withLastEvent(lastEvent));
    }

    /** Oldest first. */
    public synchronized List<SentEmail> all() {
        return new ArrayList<>(emails.values());
    }

    public synchronized void clear() {
        emails.clear();
    }
}
