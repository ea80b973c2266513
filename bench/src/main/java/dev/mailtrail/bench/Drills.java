package dev.mailtrail.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * ./mailtrail drill: runs the drills chosen with --only (all by default) in turn, each bounded in time, and prints
 * each one's outcome as sent, acknowledged, projected, lost, double_applied.
 */
final class Drills {

    /** A drill by the name --only takes. */
    private record Entry(String name, Function<DrillContext, Drill> drill) {}

    // poison last: on a build whose consumers stall on it, it would stop the drills after it too
    private static final List<Entry> DRILLS = List.of(
            new Entry(BadInputDrill.NAME, BadInputDrill::new),
            new Entry(DuplicatesDrill.NAME, DuplicatesDrill::new),
            new Entry(PostgresOutageDrill.NAME, PostgresOutageDrill::new),
            new Entry(KafkaRestartDrill.NAME, KafkaRestartDrill::new),
            new Entry(SendServiceKillDrill.NAME, SendServiceKillDrill::new),
            new Entry(LostWebhooksDrill.NAME, LostWebhooksDrill::new),
            new Entry(PoisonDrill.NAME, PoisonDrill::new));

    static final List<String> ALL = DRILLS.stream().map(Entry::name).toList();

    /** The rest of a drill's problems are in drills.json (the poison drill prints a verdict per check besides). */
    private static final int PRINTED_PROBLEMS = 12;

    private final DrillContext context;

    Drills(DrillContext context) {
        this.context = context;
    }

    List<Drill.Result> run(List<String> only) {
        List<Drill.Result> results = new ArrayList<>();
        for (Entry entry : DRILLS) {
            if (!only.isEmpty() && !only.contains(entry.name())) {
                continue;
            }
            context.out().println("drill " + entry.name() + " ...");
            long t0 = System.nanoTime();
            Drill.Result result;
            try {
                result = entry.drill().apply(context).run();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                result = Drill.Result.failed(entry.name(), e, t0);
            }
            print(result);
            results.add(result);
        }
        return results;
    }

    private void print(Drill.Result result) {
        context.out()
                .printf(
                        Locale.ROOT,
                        "  %-18s %s  sent %d, acknowledged %d, projected %d, lost %d, double_applied %d (%.0f s)%n",
                        result.name(),
                        result.ok() ? "ok  " : "FAIL",
                        result.sent(),
                        result.acknowledged(),
                        result.projected(),
                        result.lost(),
                        result.doubleApplied(),
                        result.seconds());
        result.problems().stream()
                .limit(PRINTED_PROBLEMS)
                .forEach(p -> context.out().println("      " + p));
        if (result.problems().size() > PRINTED_PROBLEMS) {
            context.out()
                    .println("      ... and " + (result.problems().size() - PRINTED_PROBLEMS)
                            + " more in bench/results/drills.json");
        }
    }
}
