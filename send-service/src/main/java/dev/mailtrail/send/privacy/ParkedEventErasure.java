package dev.mailtrail.send.privacy;

import org.springframework.core.annotation.Order;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * parked_event: events waiting for their email id that name the address are deleted (they belong to no activity yet;
 * one of the tenant's, or one naming no tenant, as Resend's untagged events do). Parked events expire after 7 days
 * anyway; this makes the erase immediate.
 */
@Component
@Order(4)
class ParkedEventErasure implements ErasureStep {

    private final DatabaseClient db;

    ParkedEventErasure(DatabaseClient db) {
        this.db = db;
    }

    @Override
    public Mono<Void> address(Request request) {
        return db.sql("""
                DELETE FROM parked_event WHERE (payload->>'tenantId' = $1 OR payload->>'tenantId' IS NULL)
                  AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(payload->'recipients') AS a (address)
                              WHERE lower(a.address) = $2 OR lower(a.address) LIKE '%<' || $3 || '>')""")
                .bind(0, request.tenantId())
                .bind(1, request.address())
                .bind(
                        2,
                        request.address()
                                .replace("\\", "\\\\")
                                .replace("%", "\\%")
                                .replace("_", "\\_"))
                .then();
    }
}
