package dev.mailtrail.events;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** An enum constant with a spelling of its own on the wire. */
public interface WireValue {

    String wire();

    /** Looks a wire spelling up among an enum's constants; empty for values this version does not know. */
    static <E extends Enum<E> & WireValue> Optional<E> parse(Class<E> type, String wire) {
        return Optional.ofNullable(Index.of(type).get(wire)).map(type::cast);
    }

    /** Like {@link #parse}, for a value that must be known: a Jackson creator's contract. */
    static <E extends Enum<E> & WireValue> E require(Class<E> type, String wire) {
        return parse(type, wire)
                .orElseThrow(() -> new IllegalArgumentException("unknown " + type.getSimpleName() + ": " + wire));
    }

    /** Lookup tables, built once per enum. */
    final class Index {
        private static final ClassValue<Map<String, Object>> TABLES = new ClassValue<>() {
            @Override
            protected Map<String, Object> computeValue(Class<?> type) {
                return Arrays.stream(type.getEnumConstants())
                        .collect(Collectors.toUnmodifiableMap(c -> ((WireValue) c).wire(), Function.identity()));
            }
        };

        static Map<String, Object> of(Class<?> type) {
            return TABLES.get(type);
        }

        private Index() {}
    }
}
