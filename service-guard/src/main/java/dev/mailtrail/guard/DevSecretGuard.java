package dev.mailtrail.guard;

import dev.mailtrail.events.secrets.DevSecret;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Refuses to start a service while one of its secrets still holds the repository's development value
 * ({@link DevSecret}), unless {@code MAILTRAIL_ALLOW_DEV_SECRETS} is true. A listener on the prepared environment,
 * registered in META-INF/spring.factories: it runs before any bean exists, so before anything connects, and, ordered
 * after Boot's logging set-up, its refusal is logged like any other start-up failure (JSON in production).
 */
public final class DevSecretGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        DevSecret.refusal(event.getEnvironment()::getProperty).ifPresent(refusal -> {
            throw new IllegalStateException(refusal);
        });
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
