package dev.mailtrail.simulator;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A stand-in for Resend: its email API plus Svix-signed webhooks. For tests, the local stack and benchmarks only. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ResendSimulatorApplication {

    public static void main(String[] args) {
        SpringApplication.run(ResendSimulatorApplication.class, args);
    }
}
