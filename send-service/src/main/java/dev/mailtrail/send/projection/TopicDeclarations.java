package dev.mailtrail.send.projection;

import dev.mailtrail.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Topics this service reads or writes, created at start-up where the cluster allows it. */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

    private final int partitions;
    private final short replicas;

    TopicDeclarations(@Value("${mailtrail.kafka.partitions:3}") int partitions,
            @Value("${mailtrail.kafka.replicas:1}") short replicas) {
        this.partitions = partitions;
        this.replicas = replicas;
    }

    @Bean
    NewTopic eventsTopic() {
        return TopicBuilder.name(Topics.EVENTS).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    NewTopic eventsDeadLetterTopic() {
        return TopicBuilder.name(Topics.EVENTS_DLT).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    NewTopic activityStateTopic() {
        return TopicBuilder.name(Topics.ACTIVITY_STATE).partitions(partitions).replicas(replicas).compact().build();
    }
}
