package dev.mailtrail.bench;

import dev.mailtrail.bench.PoisonVerdicts.Evidence;
import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.bench.Probe.Expect;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The poison drill's verdicts, one line per entry, kind and fate, and what drills.json keeps of them. */
final class PoisonReport {

    /** The probes of one entry, kind and fate are judged together. */
    record Check(Channel channel, String kind, Expect expect) {

        static final Comparator<Check> ORDER =
                Comparator.comparing(Check::channel).thenComparing(Check::kind).thenComparing(Check::expect);

        static Check of(Probe p) {
            return new Check(p.channel(), p.kind(), p.expect());
        }

        String label() {
            return channel.label + " / " + kind + " (" + expect.name().toLowerCase(Locale.ROOT) + ")";
        }
    }

    private PoisonReport() {}

    /** Prints every check's verdict; puts them and the answers seen into {@code details}; answers the failures. */
    static List<String> checks(List<Probe> probes, Evidence evidence, Map<String, Object> details, PrintStream out) {
        Map<Check, List<String>> verdicts = new TreeMap<>(Check.ORDER);
        for (Probe p : probes) {
            verdicts.computeIfAbsent(Check.of(p), k -> new ArrayList<>()).add(PoisonVerdicts.judge(p, evidence));
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> checks = new LinkedHashMap<>();
        verdicts.forEach((check, judged) -> {
            List<String> wrong = judged.stream().filter(Objects::nonNull).toList();
            String verdict =
                    (judged.size() - wrong.size()) + "/" + judged.size() + (wrong.isEmpty() ? "" : ": " + wrong.get(0));
            out.printf(
                    Locale.ROOT,
                    "  %s %-16s %-36s %-13s %s%n",
                    wrong.isEmpty() ? "ok  " : "FAIL",
                    check.channel().label,
                    check.kind(),
                    check.expect().name().toLowerCase(Locale.ROOT),
                    verdict);
            checks.put(check.label(), wrong.isEmpty() ? "ok" : verdict);
            if (!wrong.isEmpty()) {
                problems.add(check.label() + ": " + verdict);
            }
        });
        Map<String, Map<String, Long>> answers = new TreeMap<>();
        evidence.answers()
                .forEach((p, a) -> answers.computeIfAbsent(p.channel().label, k -> new TreeMap<>())
                        .merge(a.statusKey(), 1L, Long::sum));
        Map<String, Long> deadLettered = new TreeMap<>();
        for (Probe p : probes) {
            String topic = p.channel().deadLetterTopic;
            if (topic != null
                    && evidence.deadLetters()
                            .getOrDefault(topic, Map.of())
                            .containsKey(p.record().key())) {
                deadLettered.merge(topic, 1L, Long::sum);
            }
        }
        details.put("records", probes.size());
        details.put("checks", checks);
        details.put("answers", answers);
        details.put(
                "server_errors",
                evidence.answers().values().stream()
                        .filter(a -> a.status() >= 500 || a.status() < 0)
                        .count());
        details.put("dead_lettered", deadLettered);
        return problems;
    }
}
