package dev.mailtrail.simulator;

import java.util.LinkedHashMap;
import java.util.Map;

/** In-memory history that cannot exhaust the heap in long benchmark runs. */
public final class BoundedMaps {

    private BoundedMaps() {}

    /** A map in insertion order that drops its eldest entry beyond {@code limit}; not thread-safe. */
    public static <K, V> Map<K, V> dropEldestBeyond(int limit) {
        return new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > limit;
            }
        };
    }
}
