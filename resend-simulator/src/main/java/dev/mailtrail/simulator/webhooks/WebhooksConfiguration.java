package dev.mailtrail.simulator.webhooks;

import dev.mailtrail.simulator.SimulatorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class WebhooksConfiguration {

    @Bean
    WebhookSigner webhookSigner(SimulatorProperties properties) {
        return new WebhookSigner(properties.signingSecret());
    }
}
