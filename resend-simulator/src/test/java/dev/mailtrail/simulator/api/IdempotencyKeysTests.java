package dev.mailtrail.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.fixtures.MutableClock;
import dev.mailtrail.simulator.SimulatorProperties;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class IdempotencyKeysTests {

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final IdempotencyKeys keys = new IdempotencyKeys(
            new SimulatorProperties(
                    "k", URI.create("http://x/"), List.of("whsec_c2Vjb25kLXNlY3JldA=="), null, null, 100, null),
            clock);
    private final AtomicInteger work = new AtomicInteger();

    private Object process(String key, String path, String json) {
        return keys.process(key, path, mapper.readTree(json), Mono.fromSupplier(work::incrementAndGet))
                .block();
    }

    @Test
    void sameRequestGetsTheFirstResponseWithoutWorkingAgain() {
        assertThat(process("k1", "/emails", "{\"a\":1,\"b\":[1,2]}")).isEqualTo(1);
        assertThat(process("k1", "/emails", "{\"b\":[1,2],\"a\":1}")).isEqualTo(1);
        assertThat(work).hasValue(1);
        assertThat(process(null, "/emails", "{\"a\":1}")).isEqualTo(2);
        assertThat(process(null, "/emails", "{\"a\":1}")).isEqualTo(3);
    }

    @Test
    void anotherBodyOrPathUnderTheSameKeyIsAConflict() {
        process("k1", "/emails", "{\"a\":1}");

        assertError(() -> process("k1", "/emails", "{\"a\":2}"), 409, "invalid_idempotent_request");
        assertError(() -> process("k1", "/emails/batch", "{\"a\":1}"), 409, "invalid_idempotent_request");
    }

    @Test
    void aKeyInFlightIsAConflictUntilTheFirstRequestEnds() {
        Sinks.One<Object> slow = Sinks.one();
        Mono<Object> first = keys.process("k1", "/emails", mapper.readTree("{}"), slow.asMono());
        first.subscribe();

        assertThat(keys.inFlight("k1")).isTrue();
        assertError(() -> process("k1", "/emails", "{}"), 409, "concurrent_idempotent_requests");
        slow.tryEmitValue("done");
        assertThat(keys.inFlight("k1")).isFalse();
        assertThat(process("k1", "/emails", "{}")).isEqualTo("done");
    }

    @Test
    void aFailedRequestForgetsItsKey() {
        JsonNode body = mapper.readTree("{}");
        assertThatThrownBy(() -> keys.process("k1", "/emails", body, Mono.error(ResendApiException.validation("bad")))
                        .block())
                .isInstanceOf(ResendApiException.class);

        assertThat(keys.inFlight("k1")).isFalse();
        assertThat(process("k1", "/emails", "{\"fixed\":true}")).isEqualTo(1);
    }

    @Test
    void keysAreRememberedForADay() {
        process("k1", "/emails", "{\"a\":1}");
        clock.advance(IdempotencyKeys.RETENTION.minusSeconds(1));
        assertThat(process("k1", "/emails", "{\"a\":1}")).isEqualTo(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(process("k1", "/emails", "{\"a\":2}")).isEqualTo(2);
    }

    @Test
    void keysAreOneTo256Characters() {
        assertThat(process("k".repeat(256), "/emails", "{}")).isEqualTo(1);
        assertError(() -> process("k".repeat(257), "/emails", "{}"), 400, "invalid_idempotency_key");
        assertError(() -> process("", "/emails", "{}"), 400, "invalid_idempotency_key");
    }

    private static void assertError(Runnable call, int status, String name) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ResendApiException.class, e -> {
            assertThat(e.toBody().statusCode()).isEqualTo(status);
            assertThat(e.toBody().name()).isEqualTo(name);
        });
    }
}
