package dev.mailtrail.ingest.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TrackingConfiguration {

    private static final String SHIPPED_NETWORKS = "/tracking/networks.txt";

    @Bean
    TrackingTokenCodec trackingTokenCodec(TrackingProperties properties) {
        return new TrackingTokenCodec(TrackingKeys.parse(properties.keys()));
    }

    @Bean
    ClientClassifier clientClassifier(TrackingProperties properties) {
        return new ClientClassifier(networks(properties.networksFile()), properties.agentCacheMemory().toBytes());
    }

    static Networks networks(String file) {
        if (file == null || file.isBlank()) {
            return Networks.read(TrackingConfiguration.class.getResourceAsStream(SHIPPED_NETWORKS), SHIPPED_NETWORKS);
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            return Networks.read(in, file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("MAILTRAIL_TRACKING_NETWORKS_FILE: cannot read " + file, e);
        }
    }
}
