package dev.mailtrail.bench;

import dev.mailtrail.bench.Webhooks.Webhook;
import dev.mailtrail.localstack.Component;
import java.util.List;

/**
 * The broker SIGKILLed under a steady webhook load and started again 5 s later on its data: the ingest answers 503
 * meanwhile, Resend's redeliveries carry every webhook through, nothing is lost or applied twice.
 */
record KafkaRestartDrill(DrillContext context) implements Drill {

    static final String NAME = "kafka-restart";

    @Override
    public Result run() throws Exception {
        List<Webhook> distinct = context.webhooks().atLeast("k", 5_000, false);
        return new Redelivery(context).underLoad(NAME, distinct, 150, details -> {
            Thread.sleep(8_000);
            context.target().stack().stop(Component.KAFKA, true);
            long down = System.nanoTime();
            context.out().println("  kafka killed (SIGKILL); restarting in 5 s ...");
            Thread.sleep(5_000);
            context.target().stack().start(Component.KAFKA);
            details.put("kafka_unavailable_s", Stats.round((System.nanoTime() - down) / 1e9, 1));
        });
    }
}
