package dev.mailtrail.ingest.publish;

import dev.mailtrail.events.Topics;
import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** Topics this service writes, created at start-up where the cluster allows it (an existing topic is left alone). */
@Configuration(proxyBeanMethods = false)
class TopicDeclarations {

    @Bean
    NewTopic eventsTopic(TopicProperties properties) {
        return TopicBuilder.name(Topics.EVENTS)
                .partitions(properties.partitions())
                .replicas(properties.replicas())
                .build();
    }

    @Bean
    NewTopic unrecognizedWebhooksTopic(TopicProperties properties) {
        return TopicBuilder.name(Topics.WEBHOOKS_UNRECOGNIZED)
                .partitions(1)
                .replicas(properties.replicas())
                .build();
    }
}
