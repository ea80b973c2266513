package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.client.ClientClassifier;
import dev.mailtrail.ingest.client.Networks;
import dev.mailtrail.ingest.client.RelayRanges;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TrackingConfiguration {

    @Bean
    TrackingTokenCodec trackingTokenCodec(TrackingProperties properties) {
        return new TrackingTokenCodec(TrackingKeys.parse(properties.keys()));
    }

    @Bean
    ClientClassifier clientClassifier(TrackingProperties properties) {
        return new ClientClassifier(
                Networks.load(properties.networksFile()),
                RelayRanges.load(properties.relayRangesFile()),
                properties.agentCacheMemory().toBytes());
    }
}
