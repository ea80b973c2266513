package dev.mailtrail.ingest.tracking;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param keys           {@code kid:base64key,...}; the first signs, all verify
 * @param networksFile   replaces the shipped machine-network snapshot when set
 * @param dedupeWindow   repeated hits by one client on one token within this window are one event
 * @param bufferCapacity hits held while Kafka is away; beyond it they are counted and dropped
 */
@ConfigurationProperties("mailtrail.tracking")
public record TrackingProperties(String keys, String networksFile, Duration dedupeWindow, int bufferCapacity) {
}
