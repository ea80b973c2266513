package dev.mailtrail.ingest.warmup;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * {@code warmup}: out of service until the warm-up is done or its bound has passed. Part of the readiness group
 * ({@code management.endpoint.health.group.readiness}), so no traffic is routed to a cold instance, and of the
 * overall health the local stack waits for.
 */
@Component("warmup")
public class WarmupHealth implements HealthIndicator {

    private final Warmup warmup;

    WarmupHealth(Warmup warmup) {
        this.warmup = warmup;
    }

    @Override
    public Health health() {
        return warmup.ready()
                ? Health.up().build()
                : Health.outOfService().withDetail("warmup", "running").build();
    }
}
