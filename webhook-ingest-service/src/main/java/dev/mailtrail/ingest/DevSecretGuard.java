package dev.mailtrail.ingest;

import java.util.Map;

import dev.mailtrail.events.secrets.DevSecret;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Refuses to start while a secret of the ingest still holds the repository's development value
 * ({@link DevSecret}), unless {@code MAILTRAIL_ALLOW_DEV_SECRETS} is true. A listener on the prepared environment,
 * registered in META-INF/spring.factories: it runs before any bean exists, so before anything connects, and, ordered
 * after Boot's logging set-up, its refusal is logged like any other start-up failure (JSON in production).
 */
public final class DevSecretGuard implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    /** The ingest's secrets, by the property application.yml feeds from each variable. */
    private static final Map<DevSecret, String> SECRETS = Map.of(
            DevSecret.RESEND_WEBHOOK_SECRETS, "mailtrail.ingest.webhook-secrets",
            DevSecret.TRACKING_KEYS, "mailtrail.tracking.keys",
            DevSecret.IP_HASH_SALT, "mailtrail.ingest.ip-hash-salt");

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        DevSecret.refusal(SECRETS, event.getEnvironment()::getProperty).ifPresent(refusal -> {
            throw new IllegalStateException(refusal);
        });
    }

    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }
}
