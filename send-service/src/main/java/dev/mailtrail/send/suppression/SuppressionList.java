package dev.mailtrail.send.suppression;

import dev.mailtrail.events.Topics;
import dev.mailtrail.send.db.BatchInsert;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.suppression.SuppressionSources.Source;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The suppression table: entries written in the caller's transaction with their change in the outbox (compacted
 * {@code crm.email.suppressions}, key {@code <tenantId>:<SHA-256 hex of the address>}, a removal a tombstone), read
 * before every send and listed by the API. An entry keeps its first reason: writing one again changes nothing, so a
 * replayed or duplicated fact is a no-op.
 */
@Repository
public class SuppressionList {

    /** Soft bounces count towards the limit within this window from the first one. */
    public static final Duration SOFT_BOUNCE_WINDOW = Duration.ofDays(30);

    private static final BatchInsert<Suppression> ENTRIES = BatchInsert.<Suppression>into("suppression")
            .column("tenant_id", "text", Suppression::tenantId)
            .column("address", "text", Suppression::email)
            .column("reason", "text", s -> s.reason().wire())
            .column("activity_id", "text", Suppression::activityId)
            .column("created_at", "timestamptz", Suppression::createdAt);

    private static final BatchInsert<SoftBounces> SOFT = BatchInsert.<SoftBounces>into("soft_bounce")
            .column("tenant_id", "text", s -> s.last().tenantId())
            .column("address", "text", s -> s.last().email())
            .column("window_start", "timestamptz", SoftBounces::first)
            .column("bounces", "int", SoftBounces::count);

    private static final String COLUMNS = "tenant_id, address, reason, activity_id, created_at";

    private final DatabaseClient db;
    private final Outbox outbox;
    private final int softBounceLimit;

    SuppressionList(DatabaseClient db, Outbox outbox, SuppressionProperties properties) {
        this.db = db;
        this.outbox = outbox;
        this.softBounceLimit = properties.softBounceLimit();
    }

    /**
     * The facts' entries, in the caller's transaction: soft bounces counted (one row per address) and entered once an
     * address reaches the limit, every other source entered. Answers the entries that are new.
     */
    public Mono<List<Suppression>> record(List<Source> sources) {
        List<Suppression> entries = new ArrayList<>();
        Map<String, SoftBounces> soft = new LinkedHashMap<>();
        for (Source source : sources) {
            Suppression e = source.entry();
            if (source.soft()) {
                soft.merge(e.tenantId() + '\n' + e.email(), new SoftBounces(e.createdAt(), 1, e), SoftBounces::plus);
            } else {
                entries.add(e);
            }
        }
        return countSoft(List.copyOf(soft.values())).flatMap(limited -> {
            entries.addAll(limited);
            return add(entries);
        });
    }

    /** Adds the entries not there yet, in the caller's transaction; answers those. */
    public Mono<List<Suppression>> add(List<Suppression> entries) {
        if (entries.isEmpty()) {
            return Mono.just(List.of());
        }
        return ENTRIES.bind(
                        db.sql(ENTRIES.sql() + " ON CONFLICT (tenant_id, address) DO NOTHING RETURNING " + COLUMNS),
                        entries)
                .map((row, meta) -> entry(row))
                .all()
                .collectList()
                .flatMap(added -> outbox.add(added.stream()
                                .map(s ->
                                        new Outbox.Message(Topics.SUPPRESSIONS, key(s.tenantId(), s.email()), s, true))
                                .toList())
                        .thenReturn(added));
    }

    /** Removes the entry, in the caller's transaction, its tombstone in the outbox; answers it, if there was one. */
    public Mono<Optional<Suppression>> remove(String tenantId, String address) {
        return db.sql("DELETE FROM suppression WHERE tenant_id = $1 AND address = $2 RETURNING " + COLUMNS)
                .bind(0, tenantId)
                .bind(1, address)
                .map((row, meta) -> entry(row))
                .one()
                .flatMap(removed -> outbox.add(
                                List.of(new Outbox.Message(Topics.SUPPRESSIONS, key(tenantId, address), null, true)))
                        .thenReturn(Optional.of(removed)))
                .defaultIfEmpty(Optional.empty());
    }

    /** Which of these (normalised) addresses the tenant's list holds, with their reasons. */
    public Mono<Map<String, Reason>> find(String tenantId, Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT address, reason FROM suppression WHERE tenant_id = $1 AND address = ANY($2)")
                .bind(0, tenantId)
                .bind(1, addresses.toArray(String[]::new))
                .map(row -> Map.entry(
                        row.get("address", String.class),
                        Reason.of(row.get("reason", String.class)).orElseThrow()))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /**
     * A page of the tenant's entries in address order (index-backed: the key, or {@code suppression_by_reason}),
     * after {@code afterAddress} when there is one; {@code address} and {@code reason} filter when given.
     */
    public Flux<Suppression> page(String tenantId, String address, Reason reason, String afterAddress, int limit) {
        List<Object> binds = new ArrayList<>(List.of(tenantId));
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM suppression WHERE tenant_id = $1");
        if (address != null) {
            binds.add(address);
            sql.append(" AND address = $").append(binds.size());
        }
        if (reason != null) {
            binds.add(reason.wire());
            sql.append(" AND reason = $").append(binds.size());
        }
        if (afterAddress != null) {
            binds.add(afterAddress);
            sql.append(" AND address > $").append(binds.size());
        }
        binds.add(limit);
        sql.append(" ORDER BY address LIMIT $").append(binds.size());
        DatabaseClient.GenericExecuteSpec statement = db.sql(sql.toString());
        for (int i = 0; i < binds.size(); i++) {
            statement = statement.bind(i, binds.get(i));
        }
        return statement.map((row, meta) -> entry(row)).all();
    }

    /** The Kafka key of an address's entry: the tenant and the address's SHA-256, so no address is in a key. */
    public static String key(String tenantId, String address) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(address.getBytes(StandardCharsets.UTF_8));
            return tenantId + ":" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /**
     * Counts the soft bounces (one row per address: a new window starts when a bounce comes after the current one's
     * 30 days) and answers the entries of the addresses at the limit now.
     */
    private Mono<List<Suppression>> countSoft(List<SoftBounces> bounces) {
        if (bounces.isEmpty()) {
            return Mono.just(List.of());
        }
        Map<String, SoftBounces> byKey = new LinkedHashMap<>();
        bounces.forEach(b -> byKey.put(b.last().tenantId() + '\n' + b.last().email(), b));
        String renew = "EXCLUDED.window_start > b.window_start + interval '" + SOFT_BOUNCE_WINDOW.toDays() + " days'";
        return SOFT.bind(
                        db.sql(SOFT.sql().replace("INSERT INTO soft_bounce", "INSERT INTO soft_bounce AS b")
                                + " ON CONFLICT (tenant_id, address) DO UPDATE SET"
                                + " window_start = CASE WHEN " + renew + " THEN EXCLUDED.window_start"
                                + " ELSE b.window_start END,"
                                + " bounces = CASE WHEN " + renew + " THEN EXCLUDED.bounces"
                                + " ELSE b.bounces + EXCLUDED.bounces END"
                                + " RETURNING b.tenant_id, b.address, b.bounces"),
                        bounces)
                .map(row -> Map.entry(
                        row.get("tenant_id", String.class) + '\n' + row.get("address", String.class),
                        row.get("bounces", Integer.class)))
                .all()
                .filter(counted -> counted.getValue() >= softBounceLimit)
                .map(counted -> byKey.get(counted.getKey()).last())
                .collectList();
    }

    private static Suppression entry(io.r2dbc.spi.Readable row) {
        return new Suppression(
                row.get("tenant_id", String.class),
                row.get("address", String.class),
                Reason.of(row.get("reason", String.class)).orElseThrow(),
                row.get("activity_id", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }

    /** One address's soft bounces in a batch: the earliest's time, how many, and the latest (its entry to be). */
    private record SoftBounces(Instant first, int count, Suppression last) {

        SoftBounces plus(SoftBounces other) {
            return new SoftBounces(
                    first.isBefore(other.first) ? first : other.first,
                    count + other.count,
                    last.createdAt().isAfter(other.last.createdAt()) ? last : other.last);
        }
    }
}
