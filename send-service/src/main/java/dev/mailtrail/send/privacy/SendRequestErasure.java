package dev.mailtrail.send.privacy;

import dev.mailtrail.events.ActivityKey;
import java.util.List;
import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * send_request: the stored Resend body (addresses, subject, content), its recipients (read by the send-time
 * suppression check only before a first attempt) and failure reason go. A request not yet handed
 * to Resend is deleted, so the erased person is not mailed by it; a retry of one already handed over fails.
 */
@Component
@Order(2)
class SendRequestErasure implements ErasureStep {

    private final DatabaseClient db;

    SendRequestErasure(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> activities(Request request, List<ActivityKey> page) {
        String[] ids = page.stream().map(ActivityKey::activityId).toArray(String[]::new);
        return db.sql(
                        "DELETE FROM send_request WHERE tenant_id = $1 AND activity_id = ANY($2) AND dispatch_key IS NULL")
                .bind(0, request.tenantId())
                .bind(1, ids)
                .then()
                .then(db.sql("UPDATE send_request SET email = '{}'::json, failure_reason = NULL, recipients = NULL"
                                + " WHERE tenant_id = $1 AND activity_id = ANY($2)")
                        .bind(0, request.tenantId())
                        .bind(1, ids)
                        .then());
    }
}
