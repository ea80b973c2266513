package dev.mailtrail.send.reconcile;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code mailtrail.reconcile.*}: how often the webhook log is walked, how long an event may go undelivered before it is
 * replayed (and between two replays of it), how many replays an event gets, when a {@code SENT} activity counts as
 * stuck, and how much one pass may do.
 *
 * @param webhookId  Resend's id of our webhook; blank = the only one {@code GET /webhooks} lists
 * @param pageLimit  events per page of the log (Resend allows 1–100)
 * @param maxPages   pages one pass walks at most
 * @param stuckSample activities stuck in {@code SENT} checked against {@code GET /emails/{id}} per pass
 */
@ConfigurationProperties("mailtrail.reconcile")
public record ReconcileProperties(
        @DefaultValue("5m") Duration interval,
        @DefaultValue("10m") Duration grace,
        @DefaultValue("2h") Duration stuckAfter,
        @DefaultValue("3") int maxReplays,
        @DefaultValue("") String webhookId,
        @DefaultValue("100") int pageLimit,
        @DefaultValue("20") int maxPages,
        @DefaultValue("20") int stuckSample) {

    public ReconcileProperties {
        if (!isPositive(interval) || !isPositive(grace) || !isPositive(stuckAfter)) {
            throw new IllegalArgumentException(
                    "MAILTRAIL_RECONCILE_INTERVAL, _GRACE and _STUCK_AFTER must be positive durations");
        }
        if (maxReplays < 0 || pageLimit < 1 || pageLimit > 100 || maxPages < 1 || stuckSample < 0) {
            throw new IllegalArgumentException(
                    "mailtrail.reconcile: max-replays >= 0, page-limit 1..100, max-pages >= 1, stuck-sample >= 0");
        }
        webhookId = webhookId == null ? "" : webhookId.trim();
    }

    private static boolean isPositive(Duration d) {
        return d != null && !d.isNegative() && !d.isZero();
    }
}
