package dev.mailtrail.localstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** How the stack starts one component, tells when it is ready, and describes it. */
sealed interface Part permits PostgresPart, KafkaPart, ServicePart {

    static Part of(Component component, StackConfig config, Path java) {
        return switch (component) {
            case POSTGRES -> new PostgresPart(config);
            case KAFKA -> new KafkaPart(config, java);
            case RESEND_SIMULATOR, WEBHOOK_INGEST, SEND_SERVICE -> new ServicePart(component, config, java);
        };
    }

    Component component();

    /** False when the stack uses one that runs elsewhere (MAILTRAIL_DB_HOST, SPRING_KAFKA_BOOTSTRAP_SERVERS). */
    boolean ours();

    /** Where it answers: printed when it is ready, or as the external one the stack uses. */
    String address();

    /** Starts it, possibly before it is ready; a failure it can explain is a {@link StackException}. */
    Running launch() throws IOException, InterruptedException;

    /** {@link Health#UP} once it is ready, else what it answered. */
    String health();

    /** What {@link #health} asks, for a message. */
    String probe();

    Duration readyTimeout();

    /** Printed in parentheses beside the address once it is ready. */
    String details(Running running);
}
