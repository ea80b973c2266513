package dev.mailtrail.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** A single-node KRaft broker started from Kafka's jars; ready once it answers an ApiVersions request. */
record KafkaPart(StackConfig config, Path java) implements Part {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    @Override
    public Component component() {
        return Component.KAFKA;
    }

    @Override
    public boolean ours() {
        return config.embeddedKafka();
    }

    @Override
    public String address() {
        return config.kafkaBootstrapServers();
    }

    @Override
    public Running launch() throws IOException, InterruptedException {
        return KafkaBroker.start(config, java);
    }

    @Override
    public String health() {
        return KafkaBroker.answers(StackConfig.LOOPBACK, config.kafkaPort()) ? Health.UP : "no answer";
    }

    @Override
    public String probe() {
        return StackConfig.LOOPBACK + ":" + config.kafkaPort();
    }

    @Override
    public Duration readyTimeout() {
        return READY_TIMEOUT;
    }

    @Override
    public String details(Running running) {
        return "KRaft broker+controller, pid "
                + running.pid().map(String::valueOf).orElse("?");
    }
}
