package dev.mailtrail.simulator.inbound;

import dev.mailtrail.simulator.BoundedMaps;
import dev.mailtrail.simulator.SimulatorProperties;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The inbound emails received, in memory, bounded like the sent ones. */
@Component
class InboundStore {

    private final Map<String, InboundEmail> emails;

    InboundStore(SimulatorProperties properties) {
        this.emails = BoundedMaps.dropEldestBeyond(properties.historyLimit());
    }

    synchronized void save(InboundEmail email) {
        emails.put(email.id(), email);
    }

    synchronized Optional<InboundEmail> find(String id) {
        return Optional.ofNullable(emails.get(id));
    }

    synchronized void clear() {
        emails.clear();
    }
}
