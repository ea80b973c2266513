package dev.mailtrail.ingest.publish;

import dev.mailtrail.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Topics this service writes, created at start-up where the cluster allows it (an existing topic is left alone). */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

    @Bean
    NewTopic eventsTopic(
            @Value("${mailtrail.kafka.partitions:3}") int partitions,
            @Value("${mailtrail.kafka.replicas:1}") short replicas) {
        return TopicBuilder.name(Topics.EVENTS)
                .partitions(partitions)
                .replicas(replicas)
                .build();
    }

    @Bean
    NewTopic unrecognizedWebhooksTopic(@Value("${mailtrail.kafka.replicas:1}") short replicas) {
        return TopicBuilder.name(Topics.WEBHOOKS_UNRECOGNIZED)
                .partitions(1)
                .replicas(replicas)
                .build();
    }
}
