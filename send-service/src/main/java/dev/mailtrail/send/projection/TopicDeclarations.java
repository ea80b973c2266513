package dev.mailtrail.send.projection;

import dev.mailtrail.events.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/** Topics this service reads or writes, created at start-up where the cluster allows it. */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

    private final int partitions;
    private final short replicas;

    TopicDeclarations(TopicProperties properties) {
        this.partitions = properties.partitions();
        this.replicas = properties.replicas();
    }

    @Bean
    KafkaAdmin.NewTopics topics() {
        return new KafkaAdmin.NewTopics(
                topic(Topics.EVENTS).build(),
                topic(Topics.EVENTS_DLT).build(),
                topic(Topics.SEND_COMMANDS).build(),
                topic(Topics.SEND_COMMANDS_DLT).build(),
                topic(Topics.ACTIVITY_STATE).compact().build(),
                topic(Topics.SUPPRESSIONS).compact().build());
    }

    private TopicBuilder topic(String name) {
        return TopicBuilder.name(name).partitions(partitions).replicas(replicas);
    }
}
