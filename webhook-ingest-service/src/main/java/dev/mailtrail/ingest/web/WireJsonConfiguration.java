package dev.mailtrail.ingest.web;

import dev.mailtrail.events.WireJson;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** HTTP bodies use the wire contract's JSON mapping, so timestamps look the same everywhere. */
@Configuration(proxyBeanMethods = false)
class WireJsonConfiguration {

    @Bean
    JsonMapper jsonMapper() {
        return WireJson.mapper();
    }
}
