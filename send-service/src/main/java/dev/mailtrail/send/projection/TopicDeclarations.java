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

    @Bean
    NewTopic eventsTopic(@Value("${mailtrail.kafka.partitions:3}") int partitions,
            @Value("${mailtrail.kafka.replicas:1}") short replicas) {
        return TopicBuilder.name(Topics.EVENTS).partitions(partitions).replicas(replicas).build();
    }

    @Bean
    NewTopic activityStateTopic(@Value("${mailtrail.kafka.partitions:3}") int partitions,
            @Value("${mailtrail.kafka.replicas:1}") short replicas) {
        return TopicBuilder.name(Topics.ACTIVITY_STATE).partitions(partitions).replicas(replicas).compact().build();
    }
}
