package dev.mailtrail.send.outbox;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mailtrail.outbox.*}: how often the relay looks for rows when nothing woke it (a commit that added rows wakes
 * it at once, so polling only covers a crash between commit and wake, or a failed pass), and rows per pass.
 */
@ConfigurationProperties("mailtrail.outbox")
public record OutboxProperties(
        @DefaultValue("500ms") Duration pollInterval,
        @DefaultValue("1000") int batchSize) {

    public OutboxProperties {
        if (pollInterval.isNegative() || pollInterval.isZero() || batchSize < 1) {
            throw new IllegalArgumentException("mailtrail.outbox: poll-interval > 0 and batch-size >= 1");
        }
    }
}
