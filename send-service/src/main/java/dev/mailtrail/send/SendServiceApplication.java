package dev.mailtrail.send;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SendServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SendServiceApplication.class, args);
    }
}
