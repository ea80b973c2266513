package dev.mailtrail.send.kafka;

import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerPostProcessor;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The error handler of each Kafka listener, named by the listener ({@code containerPostProcessor}), never one bean
 * Boot would hand every container (a listener without one would get spring-kafka's default, which gives up on a
 * record after ten attempts and drops it). The listeners dead-letter what no retry can fix themselves
 * ({@link DeadLetters}, {@link Faults}), so what reaches a handler is a fault worth retrying.
 */
@Configuration(proxyBeanMethods = false)
public class ListenerErrorHandlers {

    /** Projection: retries the failed batch, for ever, backing off to 10 s. */
    public static final String PROJECTION = "projectionErrorHandler";
    /** Send commands: keeps what was handled before the failed command, retries from it, for ever. */
    public static final String SEND_COMMANDS = "sendCommandsErrorHandler";
    /** Replies: keeps the inbound emails handled before the failed one, retries from it, for ever. */
    public static final String REPLIES = "repliesErrorHandler";
    /** Activity stream: retries nothing. */
    public static final String ACTIVITY_STREAM = "activityStreamErrorHandler";

    /**
     * A batch failed as a whole (database down, a deadlock, a concurrent change of a state): its records are valid,
     * and skipping them would lose acknowledged events. Replaying the part already applied is a no-op (recorded ids).
     */
    @Bean(PROJECTION)
    ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>> projection() {
        return container -> container.setCommonErrorHandler(retryForever());
    }

    /**
     * A command could not be accepted for a reason of ours (database down): the listener throws
     * {@link org.springframework.kafka.listener.BatchListenerFailedException} with its index, so the commands before
     * it are committed (not dead-lettered or counted twice) and the rest are read again from it.
     */
    @Bean(SEND_COMMANDS)
    ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>> sendCommands() {
        return container -> container.setCommonErrorHandler(retryForever());
    }

    /**
     * An inbound email could not be fetched or its fact written (Resend or the database unavailable): the listener
     * throws {@link org.springframework.kafka.listener.BatchListenerFailedException} with its index, as the send
     * commands' does.
     */
    @Bean(REPLIES)
    ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>> replies() {
        return container -> container.setCommonErrorHandler(retryForever());
    }

    /**
     * A live view for browsers, read under a group of each replica's own from the latest offset: nothing to retry
     * (an unreadable state is skipped and counted by the listener), a subscriber re-reads the state over HTTP.
     */
    @Bean(ACTIVITY_STREAM)
    ContainerPostProcessor<String, byte[], AbstractMessageListenerContainer<String, byte[]>> activityStream() {
        return container -> container.setCommonErrorHandler(new CommonLoggingErrorHandler());
    }

    private static CommonErrorHandler retryForever() {
        ExponentialBackOff backOff = new ExponentialBackOff(100, 2);
        backOff.setMaxInterval(10_000);
        backOff.setMaxElapsedTime(Long.MAX_VALUE);
        DefaultErrorHandler handler = new DefaultErrorHandler(backOff);
        // nothing fatal, not even what spring-kafka calls fatal by default: the listeners decided already
        handler.setClassifications(Map.of(), true);
        return handler;
    }
}
