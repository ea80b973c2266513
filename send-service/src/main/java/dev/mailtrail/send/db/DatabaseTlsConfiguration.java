package dev.mailtrail.send.db;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The R2DBC connection factory Boot builds from spring.r2dbc.* gets {@link DatabaseTls} on top. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseTls.class)
class DatabaseTlsConfiguration {

    @Bean
    ConnectionFactoryOptionsBuilderCustomizer databaseTls(DatabaseTls tls) {
        return tls::applyTo;
    }
}
