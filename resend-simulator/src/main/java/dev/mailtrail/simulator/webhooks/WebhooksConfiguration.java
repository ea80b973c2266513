package dev.mailtrail.simulator.webhooks;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.mailtrail.simulator.SimulatorProperties;

@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

    @Bean
    WebhookSigner webhookSigner(SimulatorProperties properties) {
        return new WebhookSigner(properties.signingSecret());
    }
}
