package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityState;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What activity states add to the engagement rollups. A state contributes its {@link Figure}s (1 or 0 each) under
 * its tenant and UTC send day to dimension {@value #ALL}, to {@code tag:<name>} per caller tag, and to
 * {@value #LINK} per clicked URL (there {@link Figure#CLICKED} and {@link Figure#HUMAN_CLICKED} are the clicks on
 * that URL). A change moves the contribution: the old one is subtracted, the new one added, so the rollups stay the
 * sum over the current states, whatever order and batches the events came in.
 */
public final class Rollups {

    public static final String ALL = "all";
    public static final String LINK = "link";
    public static final String TAG = "tag:";
    /** The URLs of one activity counted (the first by URL): a provider's clicks cannot grow the rollups unbounded. */
    static final int MAX_LINKS = 50;

    static final Comparator<Key> ORDER = Comparator.comparing(Key::tenantId)
            .thenComparing(Key::dimension)
            .thenComparing(Key::day)
            .thenComparing(Key::value);

    private Rollups() {}

    /** A state before (null: new) and after a change. */
    public record Change(ActivityState before, ActivityState after) {}

    /** One rollup row's key. */
    public record Key(String tenantId, String dimension, String value, LocalDate day) {}

    /** One count per {@link Figure}, in its order. */
    public record Counts(long[] values) {

        static Counts zero() {
            return new Counts(new long[Figure.ALL.size()]);
        }

        public long get(Figure figure) {
            return values[figure.ordinal()];
        }

        boolean isZero() {
            return Arrays.stream(values).allMatch(v -> v == 0);
        }

        void add(Counts other, long sign) {
            for (int i = 0; i < values.length; i++) {
                values[i] += sign * other.values[i];
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Counts c && Arrays.equals(values, c.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }

    /**
     * The UTC day the activity was sent (else queued, scheduled, or its first problem): a function of its facts, so
     * every replay puts it on the same day; none for a state with none of these (nothing to report yet).
     */
    static LocalDate day(ActivityState s) {
        Instant at = Stream.of(s.sentAt(), s.deliveredAt(), s.queuedAt(), s.scheduledAt())
                .filter(t -> t != null)
                .findFirst()
                .orElseGet(() -> Stream.of(s.bouncedAt(), s.complainedAt(), s.failedAt(), s.suppressedAt())
                        .filter(t -> t != null)
                        .min(Comparator.naturalOrder())
                        .orElse(null));
        return at == null ? null : LocalDate.ofInstant(at, ZoneOffset.UTC);
    }

    /** The state's contribution to each of its keys; none for a null state. */
    static Map<Key, Counts> contribution(ActivityState s) {
        Map<Key, Counts> rows = new TreeMap<>(ORDER);
        LocalDate day = s == null ? null : day(s);
        if (day == null) {
            return rows;
        }
        Counts flags = flags(s);
        rows.put(new Key(s.tenantId(), ALL, "", day), flags);
        s.tags().forEach((name, value) -> rows.put(new Key(s.tenantId(), TAG + name, value, day), flags));
        s.links().stream()
                .filter(l -> l.clicks() + l.machineClicks() > 0)
                .limit(MAX_LINKS)
                .forEach(l -> {
                    long[] link = flags.values().clone();
                    link[Figure.CLICKED.ordinal()] = l.clicks() > 0 ? 1 : 0;
                    link[Figure.HUMAN_CLICKED.ordinal()] = l.clicks() > 0 && s.humanClickCount() > 0 ? 1 : 0;
                    rows.put(new Key(s.tenantId(), LINK, l.url(), day), new Counts(link));
                });
        return rows;
    }

    /**
     * What moving these states from {@code before} (null: new) to {@code after} changes, one row per key, keys with
     * no change left out, sorted (two transactions update the rows they share in one order: no deadlock).
     */
    static Map<Key, Counts> delta(Iterable<Change> changes) {
        Map<Key, Counts> delta = new TreeMap<>(ORDER);
        for (Change change : changes) {
            contribution(change.before())
                    .forEach((key, counts) ->
                            delta.computeIfAbsent(key, k -> Counts.zero()).add(counts, -1));
            contribution(change.after())
                    .forEach((key, counts) ->
                            delta.computeIfAbsent(key, k -> Counts.zero()).add(counts, 1));
        }
        delta.values().removeIf(Counts::isZero);
        return delta;
    }

    private static Counts flags(ActivityState s) {
        long[] values = new long[Figure.ALL.size()];
        for (Figure f : Figure.ALL) {
            values[f.ordinal()] = f.holds(s) ? 1 : 0;
        }
        return new Counts(values);
    }
}
