package dev.mailtrail.ingest.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TrackingConfiguration {

    private static final Logger log = LoggerFactory.getLogger(TrackingConfiguration.class);
    private static final String SHIPPED_NETWORKS = "/tracking/networks.txt";

    @Bean
    TrackingTokenCodec trackingTokenCodec(TrackingProperties properties) {
        return new TrackingTokenCodec(TrackingKeys.parse(properties.keys()));
    }

    @Bean
    ClientClassifier clientClassifier(TrackingProperties properties) {
        return new ClientClassifier(networks(properties.networksFile()), relayRanges(properties.relayRangesFile()),
                properties.agentCacheMemory().toBytes());
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

    /** Apple's relay egress ranges when a file is configured; none otherwise (nothing is shipped: ~12 MB). */
    static RelayRanges relayRanges(String file) {
        if (file == null || file.isBlank()) {
            return RelayRanges.none();
        }
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            RelayRanges ranges = RelayRanges.read(in, file);
            log.info("{}: {} relay egress prefixes loaded", RelayRanges.VARIABLE, ranges.size());
            return ranges;
        }
        catch (IOException e) {
            throw new UncheckedIOException(RelayRanges.VARIABLE + ": cannot read " + file, e);
        }
    }
}
