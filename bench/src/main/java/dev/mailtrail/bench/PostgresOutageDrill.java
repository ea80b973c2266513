package dev.mailtrail.bench;

import dev.mailtrail.bench.Webhooks.Webhook;
import dev.mailtrail.localstack.Component;
import java.time.Duration;
import java.util.List;

/**
 * PostgreSQL stopped for 20 s under a steady webhook load: the projection waits (its lag grows) and catches up once
 * PostgreSQL is back, losing and doubling nothing; the send-service reports healthy again.
 */
record PostgresOutageDrill(DrillContext context) implements Drill {

    static final String NAME = "postgres-outage";

    private static final Duration OUTAGE = Duration.ofSeconds(20);

    @Override
    public Result run() throws Exception {
        List<Webhook> distinct = context.webhooks().atLeast("pg", 4_500, false);
        Kafka kafka = context.kafka();
        Target target = context.target();
        return new Redelivery(context).underLoad(NAME, distinct, 100, details -> {
            Thread.sleep(5_000);
            long lagBefore = kafka.projectionLag();
            target.stack().stop(Component.POSTGRES, false);
            long down = System.nanoTime();
            context.out().println("  postgres stopped; " + OUTAGE.toSeconds() + " s ...");
            long maxLag = lagBefore;
            while (System.nanoTime() - down < OUTAGE.toNanos()) {
                Thread.sleep(1_000);
                maxLag = Math.max(maxLag, kafka.projectionLag());
            }
            target.stack().start(Component.POSTGRES);
            details.put("postgres_down_s", Stats.round((System.nanoTime() - down) / 1e9, 1));
            details.put("lag_before_outage", lagBefore);
            details.put("max_lag_during_outage", maxLag);
            long up = System.nanoTime();
            details.put(
                    "send_service_up_again", target.awaitHealthy(Target.PROJECTION_SERVICE, Duration.ofSeconds(90)));
            details.put("send_service_healthy_after_s", Stats.round((System.nanoTime() - up) / 1e9, 1));
        });
    }
}
