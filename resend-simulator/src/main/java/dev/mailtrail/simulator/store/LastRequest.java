package dev.mailtrail.simulator.store;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/** The most recent API request, so a client's tests can check what it actually sent (headers, path). */
@Component
public class LastRequest {

    private final AtomicReference<RecordedRequest> last = new AtomicReference<>();

    public void record(RecordedRequest request) {
        last.set(request);
    }

    public Optional<RecordedRequest> get() {
        return Optional.ofNullable(last.get());
    }

    public void clear() {
        last.set(null);
    }
}
