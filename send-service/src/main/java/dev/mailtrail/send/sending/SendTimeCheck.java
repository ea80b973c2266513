package dev.mailtrail.send.sending;

import dev.mailtrail.events.OpenTracking;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.suppression.Reason;
import dev.mailtrail.send.suppression.SuppressionList;
import dev.mailtrail.send.suppression.SuppressionMetrics;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionSynchronization;
import org.springframework.transaction.reactive.TransactionSynchronizationManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The suppression list again, just before a call is formed for the first attempt (an entry may have come since
 * acceptance; once an attempt was made, retries stay byte-identical under their key and are never checked). In
 * {@link Claims}' transaction: a message none of whose recipients (or no {@code to}) is left ends SUPPRESSED and is
 * never sent; one with some left has the listed ones taken out of its stored email before its first attempt.
 */
@Component
class SendTimeCheck {

    private final DatabaseClient db;
    private final Outbox outbox;
    private final SuppressionMetrics metrics;
    private final SuppressionList suppressions;

    SendTimeCheck(DatabaseClient db, Outbox outbox, SuppressionMetrics metrics, SuppressionList suppressions) {
        this.db = db;
        this.outbox = outbox;
        this.metrics = metrics;
        this.suppressions = suppressions;
    }

    /** The waiting requests still to be sent, after the tenant's list had its say. */
    Mono<List<Claims.Waiting>> check(String tenant, List<Claims.Waiting> waiting, Instant now) {
        String[] activities = waiting.stream().map(Claims.Waiting::activityId).toArray(String[]::new);
        Integer[] indexes = waiting.stream().map(w -> (int) w.recipientIndex()).toArray(Integer[]::new);
        // the list's one lookup (by address or by an erased address's hash, which SQL cannot compute), then only
        // the messages naming a listed address are read whole
        return db.sql("""
                        SELECT DISTINCT a.address FROM unnest($2::text[], $3::int[]) AS m(activity_id, recipient_index)
                        JOIN send_request r ON r.tenant_id = $1 AND r.activity_id = m.activity_id
                            AND r.recipient_index = m.recipient_index
                        CROSS JOIN LATERAL unnest(r.recipients) AS a(address)""")
                .bind(0, tenant)
                .bind(1, activities)
                .bind(2, indexes)
                .map(row -> row.get("address", String.class))
                .all()
                .collectList()
                .flatMap(addresses -> suppressions.find(tenant, addresses))
                .flatMap(listed -> listed.isEmpty() ? Mono.just(waiting) : drop(tenant, waiting, listed, now));
    }

    private Mono<List<Claims.Waiting>> drop(
            String tenant, List<Claims.Waiting> waiting, Map<String, Reason> entries, Instant now) {
        List<Map.Entry<String, Reason>> onList = List.copyOf(entries.entrySet());
        return db.sql("""
                SELECT r.activity_id, r.recipient_index, r.per_recipient, r.open_tracking, r.email::text AS email,
                    r.recipients, array_agg(l.address ORDER BY l.address) AS listed,
                    array_agg(l.reason ORDER BY l.address) AS reasons
                FROM unnest($2::text[], $3::int[]) AS m(activity_id, recipient_index)
                JOIN send_request r ON r.tenant_id = $1 AND r.activity_id = m.activity_id
                    AND r.recipient_index = m.recipient_index
                JOIN unnest($4::text[], $5::text[]) AS l(address, reason) ON l.address = ANY(r.recipients)
                GROUP BY r.activity_id, r.recipient_index, r.per_recipient, r.open_tracking, r.email::text,
                    r.recipients""")
                .bind(0, tenant)
                .bind(1, waiting.stream().map(Claims.Waiting::activityId).toArray(String[]::new))
                .bind(2, waiting.stream().map(w -> (int) w.recipientIndex()).toArray(Integer[]::new))
                .bind(3, onList.stream().map(Map.Entry::getKey).toArray(String[]::new))
                .bind(4, onList.stream().map(e -> e.getValue().wire()).toArray(String[]::new))
                .map(row -> new Listed(
                        new Dispatch.Member(
                                row.get("activity_id", String.class),
                                tenant,
                                row.get("recipient_index", Short.class),
                                row.get("per_recipient", Boolean.class),
                                OpenTracking.valueOf(row.get("open_tracking", String.class)),
                                row.get("email", String.class)),
                        Set.of(row.get("listed", String[].class)),
                        Arrays.stream(row.get("reasons", String[].class))
                                .map(r -> Reason.of(r).orElseThrow())
                                .toList()))
                .all()
                .concatMap(listed -> apply(listed, now))
                .collect(Collectors.toSet())
                .flatMap(stopped -> {
                    if (stopped.isEmpty()) {
                        return Mono.just(waiting);
                    }
                    return Mono.just(waiting.stream()
                            .filter(w -> !stopped.contains(w.activityId() + '\n' + w.recipientIndex()))
                            .toList());
                });
    }

    /** A message with listed recipients: stopped (answers its key) or rewritten without them (answers nothing). */
    private Flux<String> apply(Listed listed, Instant now) {
        Dispatch.Member m = listed.member();
        ObjectNode email = (ObjectNode) WireJson.mapper().readTree(m.email());
        List<String> to = keep(email, "to", listed.addresses());
        keep(email, "cc", listed.addresses());
        keep(email, "bcc", listed.addresses());
        countOnCommit(listed.reasons());
        if (to.isEmpty()) {
            String reason = Reason.suppressed(listed.reasons());
            return db.sql("""
                    UPDATE send_request SET status = 'SUPPRESSED', dispatch_key = $4, failure_reason = $5,
                        updated_at = $6
                    WHERE tenant_id = $1 AND activity_id = $2 AND recipient_index = $3""")
                    .bind(0, m.tenantId())
                    .bind(1, m.activityId())
                    .bind(2, m.recipientIndex())
                    .bind(3, SendFacts.SUPPRESSED_DISPATCH_KEY)
                    .bind(4, reason)
                    .bind(5, now.atOffset(ZoneOffset.UTC))
                    .then()
                    .then(outbox.add(List.of(SendFacts.message(SendFacts.suppressed(m, reason, now)))))
                    .thenReturn(m.activityId() + '\n' + m.recipientIndex())
                    .flux();
        }
        return db.sql("""
                UPDATE send_request SET email = $4::json, recipients = $5
                WHERE tenant_id = $1 AND activity_id = $2 AND recipient_index = $3""")
                .bind(0, m.tenantId())
                .bind(1, m.activityId())
                .bind(2, m.recipientIndex())
                .bind(3, WireJson.mapper().writeValueAsString(email))
                .bind(4, remaining(email).toArray(String[]::new))
                .then()
                .thenMany(Flux.empty());
    }

    /** Drops the listed addresses from the email's array {@code field}; answers the addresses kept. */
    private static List<String> keep(ObjectNode email, String field, Set<String> listed) {
        JsonNode values = email.get(field);
        List<String> kept = new ArrayList<>();
        if (values == null || !values.isArray()) {
            return kept;
        }
        ArrayNode remaining = email.putArray(field);
        for (JsonNode value : values) {
            if (!listed.contains(Addresses.normalised(value.asString()))) {
                remaining.add(value);
                kept.add(value.asString());
            }
        }
        return kept;
    }

    private static Set<String> remaining(ObjectNode email) {
        Set<String> addresses = new HashSet<>();
        for (String field : List.of("to", "cc", "bcc")) {
            JsonNode values = email.get(field);
            if (values != null && values.isArray()) {
                values.forEach(v -> addresses.add(Addresses.normalised(v.asString())));
            }
        }
        return addresses;
    }

    /** Counted once the claim's transaction commits: a rolled-back check dropped nobody. */
    private void countOnCommit(List<Reason> reasons) {
        TransactionSynchronizationManager.forCurrentTransaction()
                .doOnNext(tx -> tx.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public Mono<Void> afterCommit() {
                        return Mono.fromRunnable(() -> metrics.dropped(reasons));
                    }
                }))
                .subscribe();
    }

    /** A waiting message whose recipients the list holds: which, and the entries' reasons. */
    private record Listed(Dispatch.Member member, Set<String> addresses, List<Reason> reasons) {}
}
