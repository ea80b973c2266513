package dev.mailtrail.send.projection;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.db.BatchInsert;
import io.r2dbc.postgresql.codec.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Resend email id → activity (learnt from tagged events, the first claim for good), and the untagged events parked
 * until their email id is learnt. The two sides of that race run on different partitions, so each takes a transaction-scoped lock per
 * email id ({@link #lock}): the linking side after {@link #link} and before {@link #release}, the parking side
 * before {@link #find} and {@link #park}. Whoever comes second sees what the first committed, so a parked event
 * is never left behind.
 */
@Repository
class ProviderMessages {

    /** Advisory-lock namespace (first key) of email ids. */
    private static final int LOCK_SPACE = 0x6d736769;

    private static final BatchInsert<Map.Entry<String, ActivityKey>> LINKS =
            BatchInsert.<Map.Entry<String, ActivityKey>>into("provider_message")
                    .column("message_id", "text", Map.Entry::getKey)
                    .column("activity_key", "text", link -> link.getValue().value());

    private static final BatchInsert<EmailEvent> PARKED = BatchInsert.<EmailEvent>into("parked_event")
            .column("event_id", "text", EmailEvent::eventId)
            .column("provider_message_id", "text", EmailEvent::providerMessageId)
            .column("payload", "jsonb", e -> e);

    /**
     * Email ids whose link is committed, with their activity (links are kept for good): most events of an email
     * follow one that linked it, and writing its link again was a conflict PostgreSQL checked for every event.
     * Bounded: a forgotten id only costs that write and a read.
     */
    private final Cache<String, ActivityKey> committedLinks =
            Caffeine.newBuilder().maximumSize(50_000).build();

    private final DatabaseClient db;

    ProviderMessages(DatabaseClient db) {
        this.db = db;
    }

    /** Every claimed email id's activity, and the ids learnt just now (whose parked events can be released). */
    record Links(Map<String, ActivityKey> owners, Set<String> learnt) {}

    /**
     * Records the claimed email id → activity pairs, but those known to be committed; the first claim of an id wins
     * for good. Answers whose each claimed id is, which a claim from another tenant must not overrule.
     */
    Mono<Links> link(Map<String, ActivityKey> claims) {
        Map<String, ActivityKey> owners = new HashMap<>();
        List<Map.Entry<String, ActivityKey>> unknown = new ArrayList<>();
        claims.entrySet().forEach(claim -> {
            ActivityKey owner = committedLinks.getIfPresent(claim.getKey());
            if (owner != null) {
                owners.put(claim.getKey(), owner);
            } else {
                unknown.add(claim);
            }
        });
        if (unknown.isEmpty()) {
            return Mono.just(new Links(owners, Set.of()));
        }
        return LINKS.bind(db.sql(LINKS.sql() + " ON CONFLICT (message_id) DO NOTHING RETURNING message_id"), unknown)
                .map(row -> row.get("message_id", String.class))
                .all()
                .collect(HashSet<String>::new, Set::add)
                .flatMap(learnt -> {
                    learnt.forEach(id -> owners.put(id, claims.get(id)));
                    // a conflict waits for the transaction holding the id: what it finds is committed
                    List<String> taken = unknown.stream()
                            .map(Map.Entry::getKey)
                            .filter(id -> !learnt.contains(id))
                            .toList();
                    return find(taken).map(found -> {
                        owners.putAll(found);
                        return new Links(owners, learnt);
                    });
                });
    }

    /**
     * After the transaction that {@link #link linked} these ids committed. Most are known already (every event of an
     * email after its first): a read, where writing them again cost every event a cache write.
     */
    void committed(Map<String, ActivityKey> owners) {
        owners.forEach((id, owner) -> {
            if (committedLinks.getIfPresent(id) == null) {
                committedLinks.put(id, owner);
            }
        });
    }

    Mono<Map<String, ActivityKey>> find(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Mono.just(Map.of());
        }
        return db.sql("SELECT message_id, activity_key FROM provider_message WHERE message_id = ANY($1)")
                .bind(0, messageIds.toArray(String[]::new))
                .map(row -> Map.entry(
                        row.get("message_id", String.class), ActivityKey.parse(row.get("activity_key", String.class))))
                .all()
                .collect(HashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()));
    }

    /** Locks the email ids until the transaction ends; in one global order, so two batches cannot deadlock. */
    Mono<Void> lock(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Mono.empty();
        }
        Set<Integer> keys = new TreeSet<>();
        messageIds.forEach(id -> keys.add(id.hashCode()));
        return db.sql("SELECT pg_advisory_xact_lock($1, k) FROM unnest($2::int[]) AS k")
                .bind(0, LOCK_SPACE)
                .bind(1, keys.toArray(Integer[]::new))
                .then();
    }

    /** Answers the ids of the events parked just now (the others were parked before). */
    Mono<Set<String>> park(List<EmailEvent> events) {
        if (events.isEmpty()) {
            return Mono.just(Set.of());
        }
        return PARKED.bind(db.sql(PARKED.sql() + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id"), events)
                .map(row -> row.get("event_id", String.class))
                .all()
                .collect(HashSet::new, Set::add);
    }

    /** Takes out the events parked for these email ids. */
    Mono<List<EmailEvent>> release(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.sql("DELETE FROM parked_event WHERE provider_message_id = ANY($1) RETURNING payload")
                .bind(0, messageIds.toArray(String[]::new))
                .map(row -> WireJson.read(row.get("payload", Json.class).asArray(), EmailEvent.class))
                .all()
                .collectList();
    }
}
