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
import java.util.Comparator;
import java.util.HashMap;
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
 * replayed or duplicated fact is a no-op. An erased person's entry stays, its address replaced by what the erase
 * leaves of it ({@link ErasedAddresses}): every lookup by address also looks for that form, so they are still not mailed.
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

    private static final BatchInsert<Window> SOFT = BatchInsert.<Window>into("soft_bounce")
            .column("tenant_id", "text", w -> w.last().tenantId())
            .column("address", "text", w -> w.last().email())
            .column("window_start", "timestamptz", Window::start)
            .column("bounces", "int", Window::bounces);

    private static final String COLUMNS = "tenant_id, address, reason, activity_id, created_at";

    private final DatabaseClient db;
    private final Outbox outbox;
    private final int softBounceLimit;
    private final ErasedAddresses erased;

    SuppressionList(DatabaseClient db, Outbox outbox, SuppressionProperties properties, ErasedAddresses erased) {
        this.db = db;
        this.outbox = outbox;
        this.softBounceLimit = properties.softBounceLimit();
        this.erased = erased;
    }

    /**
     * The facts' entries, in the caller's transaction: soft bounces counted (one row per address) and entered once an
     * address reaches the limit, every other source entered. Answers the entries that are new.
     */
    public Mono<List<Suppression>> record(List<Source> sources) {
        List<Suppression> entries = new ArrayList<>();
        Map<String, List<Suppression>> soft = new LinkedHashMap<>();
        for (Source source : sources) {
            Suppression e = source.entry();
            if (source.soft()) {
                soft.computeIfAbsent(e.tenantId() + '\n' + e.email(), k -> new ArrayList<>())
                        .add(e);
            } else {
                entries.add(e);
            }
        }
        return countSoft(soft).flatMap(limited -> {
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

    /**
     * Removes the address's entry (kept as it is or as an erase left it), in the caller's transaction, its tombstone
     * in the outbox; answers it, if there was one.
     */
    public Mono<Optional<Suppression>> remove(String tenantId, String address) {
        return delete(tenantId, address, erased.erasedAs(tenantId, address))
                .next()
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty());
    }

    /**
     * An erase, in the caller's transaction: the address's entry becomes its erased form (same reason, activity and
     * time; on the topic a tombstone for the address's key and the entry under the erased form's key), and its
     * soft-bounce count goes (a count is no suppression; the person's window restarts). Answers whether it was listed.
     */
    public Mono<Boolean> erase(String tenantId, String address) {
        String erasedAs = erased.erasedAs(tenantId, address);
        return delete(tenantId, address)
                .map(e -> new Suppression(tenantId, erasedAs, e.reason(), e.activityId(), e.createdAt()))
                .collectList()
                .flatMap(entries -> add(entries).thenReturn(!entries.isEmpty()))
                .flatMap(listed -> db.sql("DELETE FROM soft_bounce WHERE tenant_id = $1 AND address = $2")
                        .bind(0, tenantId)
                        .bind(1, address)
                        .then()
                        .thenReturn(listed));
    }

    /** Which of these (normalised) addresses the tenant's list holds (as they are or erased), with their reasons. */
    public Mono<Map<String, Reason>> find(String tenantId, Collection<String> addresses) {
        if (addresses.isEmpty()) {
            return Mono.just(Map.of());
        }
        Map<String, String> asListed = new HashMap<>();
        for (String address : addresses) {
            asListed.put(address, address);
            asListed.put(erased.erasedAs(tenantId, address), address);
        }
        return db.sql("SELECT address, reason FROM suppression WHERE tenant_id = $1 AND address = ANY($2)")
                .bind(0, tenantId)
                .bind(1, asListed.keySet().toArray(String[]::new))
                .map(row -> Map.entry(
                        asListed.get(row.get("address", String.class)),
                        Reason.of(row.get("reason", String.class)).orElseThrow()))
                .all()
                // listed both ways (added again by the API after an erase): one reason is enough
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    /** Deletes the entries stored under these forms, each one's tombstone in the outbox; answers them. */
    private Flux<Suppression> delete(String tenantId, String... stored) {
        return db.sql("DELETE FROM suppression WHERE tenant_id = $1 AND address = ANY($2) RETURNING " + COLUMNS)
                .bind(0, tenantId)
                .bind(1, stored)
                .map((row, meta) -> entry(row))
                .all()
                .concatMap(removed -> outbox.add(List.of(
                                new Outbox.Message(Topics.SUPPRESSIONS, key(tenantId, removed.email()), null, true)))
                        .thenReturn(removed));
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
     * Counts each address's soft bounces in time order from its stored window (read locked): a bounce after the
     * window's 30 days starts a new one. Writes the windows, and answers the entries of the addresses at the limit.
     */
    private Mono<List<Suppression>> countSoft(Map<String, List<Suppression>> bounces) {
        if (bounces.isEmpty()) {
            return Mono.just(List.of());
        }
        List<Suppression> firsts = bounces.values().stream().map(b -> b.get(0)).toList();
        return db.sql("""
                SELECT b.tenant_id, b.address, b.window_start, b.bounces FROM soft_bounce b
                JOIN unnest($1::text[], $2::text[]) AS m(tenant_id, address)
                    ON b.tenant_id = m.tenant_id AND b.address = m.address
                ORDER BY b.tenant_id, b.address FOR UPDATE OF b""")
                .bind(0, firsts.stream().map(Suppression::tenantId).toArray(String[]::new))
                .bind(1, firsts.stream().map(Suppression::email).toArray(String[]::new))
                .map(row -> Map.entry(
                        row.get("tenant_id", String.class) + '\n' + row.get("address", String.class),
                        new Window(
                                row.get("window_start", OffsetDateTime.class).toInstant(),
                                row.get("bounces", Integer.class),
                                null)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap(stored -> {
                    List<Window> counted = new ArrayList<>();
                    bounces.forEach((key, list) -> counted.add(Window.count(stored.get(key), list)));
                    return SOFT.bind(
                                    db.sql(SOFT.sql() + " ON CONFLICT (tenant_id, address) DO UPDATE SET "
                                            + SOFT.updateAllButKey(2)),
                                    counted)
                            .then()
                            .thenReturn(counted.stream()
                                    .filter(w -> w.bounces() >= softBounceLimit)
                                    .map(Window::last)
                                    .toList());
                });
    }

    private static Suppression entry(io.r2dbc.spi.Readable row) {
        return new Suppression(
                row.get("tenant_id", String.class),
                row.get("address", String.class),
                Reason.of(row.get("reason", String.class)).orElseThrow(),
                row.get("activity_id", String.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }

    /** An address's soft-bounce window: its start, the bounces in it, and the latest bounce (its entry to be). */
    private record Window(Instant start, int bounces, Suppression last) {

        static Window count(Window stored, List<Suppression> bounces) {
            Window w = stored;
            for (Suppression b : bounces.stream()
                    .sorted(Comparator.comparing(Suppression::createdAt))
                    .toList()) {
                w = w == null || b.createdAt().isAfter(w.start().plus(SOFT_BOUNCE_WINDOW))
                        ? new Window(b.createdAt(), 1, b)
                        : new Window(w.start(), w.bounces() + 1, b);
            }
            return w;
        }
    }
}
