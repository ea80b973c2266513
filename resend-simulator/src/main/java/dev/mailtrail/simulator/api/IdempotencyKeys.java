package dev.mailtrail.simulator.api;

import dev.mailtrail.simulator.BoundedMaps;
import dev.mailtrail.simulator.SimulatorProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.NullNode;

/**
 * Resend's {@code Idempotency-Key}: remembered 24 h with the request (path and JSON body) it came with. The same
 * request again gets the first response back without doing anything; a different one, or one while the first is still
 * in flight, is a 409. A request that fails forgets its key, so it can be retried (Resend keeps only successes).
 */
@Component
public class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    static final int MAX_LENGTH = 256;
    static final Duration RETENTION = Duration.ofHours(24);

    /** {@code response} is {@code null} while the first request is in flight. */
    private record Entry(String path, JsonNode body, Instant expiresAt, Object response) {}

    private final Clock clock;
    private final Map<String, Entry> entries;

    @Autowired
    public IdempotencyKeys(SimulatorProperties properties) {
        this(properties, Clock.systemUTC());
    }

    IdempotencyKeys(SimulatorProperties properties, Clock clock) {
        this.clock = clock;
        this.entries = BoundedMaps.dropEldestBeyond(properties.historyLimit());
    }

    /** {@code work}'s response, or, for a repeated request under {@code key}, the first one's; no key: just work. */
    Mono<Object> process(String key, String path, JsonNode body, Mono<?> work) {
        if (key == null) {
            return work.cast(Object.class);
        }
        JsonNode request = body == null ? NullNode.getInstance() : body;
        return Mono.defer(() -> claim(key, path, request)
                .map(Mono::just)
                .orElseGet(() -> work.cast(Object.class)
                        .doOnNext(response -> complete(key, response))
                        .doOnError(e -> release(key))
                        .doOnCancel(() -> release(key))));
    }

    /** Whether a request with this key is being processed right now. */
    public synchronized boolean inFlight(String key) {
        Entry entry = live(key);
        return entry != null && entry.response() == null;
    }

    public synchronized void clear() {
        entries.clear();
    }

    /** The remembered response, or empty when the caller goes ahead (the key is then in flight). */
    private synchronized Optional<Object> claim(String key, String path, JsonNode body) {
        if (key.isEmpty() || key.length() > MAX_LENGTH) {
            throw ResendApiException.invalidIdempotencyKey();
        }
        Entry entry = live(key);
        if (entry == null) {
            entries.put(key, new Entry(path, body, clock.instant().plus(RETENTION), null));
            return Optional.empty();
        }
        if (entry.response() == null) {
            throw ResendApiException.idempotentRequestInFlight();
        }
        if (!entry.path().equals(path) || !entry.body().equals(body)) {
            throw ResendApiException.idempotentRequestMismatch();
        }
        return Optional.of(entry.response());
    }

    private synchronized void complete(String key, Object response) {
        entries.computeIfPresent(key, (k, entry) -> new Entry(entry.path(), entry.body(), entry.expiresAt(), response));
    }

    private synchronized void release(String key) {
        entries.computeIfPresent(key, (k, entry) -> entry.response() == null ? null : entry);
    }

    private Entry live(String key) {
        Entry entry = entries.get(key);
        return entry != null && entry.expiresAt().isAfter(clock.instant()) ? entry : null;
    }
}
