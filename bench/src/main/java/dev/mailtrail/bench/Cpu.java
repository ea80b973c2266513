package dev.mailtrail.bench;

import dev.mailtrail.localstack.Component;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * CPU used during a run, per process and for the whole machine, in cores: shows whether the load generator or
 * another process, rather than the one measured, held the machine.
 */
final class Cpu {

    /** CPU time per name, in nanoseconds, at one instant. */
    record Sample(long nanoTime, Map<String, Long> cpuNanos) {}

    private final Map<String, Optional<Long>> pids = new LinkedHashMap<>();

    Cpu(Target target) {
        pids.put("bench", Optional.of(ProcessHandle.current().pid()));
        pids.put("ingest", target.pid(Target.INGEST_SERVICE));
        pids.put("kafka", target.pid(Component.KAFKA));
        pids.put("send", target.pid(Target.PROJECTION_SERVICE));
        pids.put("simulator", target.pid(Component.RESEND_SIMULATOR));
        pids.put("postgres", target.pid(Component.POSTGRES));
    }

    Sample sample() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> pid.flatMap(ProcessHandle::of)
                .ifPresent(h -> cpu.put(
                        name,
                        // PostgreSQL works in the postmaster's children (backends); the others are single processes
                        name.equals("postgres") ? withChildren(h.pid()) : cpuNanos(h))));
        long machine = machineBusyNanos();
        if (machine >= 0) {
            cpu.put("machine", machine);
        }
        return new Sample(System.nanoTime(), cpu);
    }

    /**
     * Cores used between two samples, per name (two decimals), and "other": the machine's busy cores not used by
     * any process of the stack or the bench (other work on the machine).
     */
    static Map<String, Double> cores(Sample before, Sample after) {
        Map<String, Double> cores = new LinkedHashMap<>();
        long elapsed = after.nanoTime() - before.nanoTime();
        if (elapsed <= 0) {
            return cores;
        }
        double ours = 0;
        for (Map.Entry<String, Long> e : after.cpuNanos().entrySet()) {
            Long start = before.cpuNanos().get(e.getKey());
            if (start == null) {
                continue;
            }
            double used = (e.getValue() - start) / (double) elapsed;
            cores.put(e.getKey(), Stats.round(used, 2));
            ours += e.getKey().equals("machine") ? 0 : used;
        }
        Double machine = cores.get("machine");
        if (machine != null) {
            cores.put("other", Stats.round(Math.max(0, machine - ours), 2));
        }
        return cores;
    }

    /** CPU time one name used between two samples, in nanoseconds (10 ms ticks); null when either lacks it. */
    static Long used(Sample before, Sample after, String name) {
        Long start = before.cpuNanos().get(name);
        Long end = after.cpuNanos().get(name);
        return start == null || end == null ? null : end - start;
    }

    /** CPU µs per request (one decimal): a process's CPU time over a run ÷ the requests it served; null without either. */
    static Double microsPerRequest(Long cpuNanos, long requests) {
        return cpuNanos == null || requests <= 0 ? null : Stats.round(cpuNanos / 1e3 / requests, 1);
    }

    /** CPU time of a process and its direct children, living or reaped, read from /proc (user + system ticks, assumed 100/s). */
    private static long withChildren(long parent) {
        long ticks = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(
                Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    // after the command in parentheses: state ppid ... utime (14th field) stime (15th), then the
                    // reaped children's cutime (16th) cstime (17th): a backend or autovacuum worker that exits
                    // between two samples moves its time there instead of taking it out of the sum
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long pid = Long.parseLong(proc.getFileName().toString());
                    if (pid == parent || Long.parseLong(f[1]) == parent) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                    if (pid == parent) {
                        ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return ticks * 10_000_000L;
    }

    private static long cpuNanos(ProcessHandle handle) {
        return handle.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** Non-idle CPU time of the whole machine from /proc/stat (USER_HZ ticks, assumed 100/s); -1 elsewhere. */
    private static long machineBusyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy * 10_000_000L;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
