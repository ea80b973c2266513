package dev.mailtrail.ingest.publish;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** Partitions and replicas of the topics this service creates ({@code MAILTRAIL_KAFKA_PARTITIONS}, {@code _REPLICAS}). */
@ConfigurationProperties("mailtrail.kafka")
record TopicProperties(
        @DefaultValue("3") int partitions,
        @DefaultValue("1") short replicas) {}
