package dev.mailtrail.send.projection;

import dev.mailtrail.send.kafka.Faults;
import dev.mailtrail.send.kafka.Faults.DataFault;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Applies a batch so that the records PostgreSQL refuses for their data cannot hold up the others: the whole batch
 * first (one transaction, the usual case); when that fails with a data fault, each half in a transaction of its own,
 * and so on down to the single records at fault. The state is a pure function of the set of distinct events, so any
 * split of a batch gives the same rows. A fault worth retrying is thrown as it is, whatever was applied before it
 * (applying that again is a no-op). One bad record in a batch of 500 costs about twenty transactions.
 */
final class Bisection {

    /** An item that failed on its own with a data fault. */
    record Refused<T>(T item, DataFault fault) {}

    private Bisection() {}

    /** Applies every item but the refused ones (answered); {@code apply} commits its list or throws. */
    static <T> List<Refused<T>> apply(List<T> items, Consumer<List<T>> apply) {
        List<Refused<T>> refused = new ArrayList<>();
        apply(items, apply, refused);
        return refused;
    }

    private static <T> void apply(List<T> items, Consumer<List<T>> apply, List<Refused<T>> refused) {
        if (items.isEmpty()) {
            return;
        }
        try {
            apply.accept(items);
        } catch (RuntimeException e) {
            DataFault fault = Faults.dataFault(e).orElseThrow(() -> e);
            if (items.size() == 1) {
                refused.add(new Refused<>(items.get(0), fault));
                return;
            }
            int half = items.size() / 2;
            apply(items.subList(0, half), apply, refused);
            apply(items.subList(half, items.size()), apply, refused);
        }
    }
}
