package dev.mailtrail.send.web;

import dev.mailtrail.events.WireJson;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** HTTP bodies use the wire contract's JSON mapping, so timestamps look the same on HTTP and Kafka. */
@Configuration(proxyBeanMethods = false)
class WireJsonConfiguration {

    @Bean
    JsonMapper jsonMapper() {
        return WireJson.mapper();
    }
}
