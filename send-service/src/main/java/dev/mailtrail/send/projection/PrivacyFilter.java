package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.send.projection.ActivityEventRepository.Resolved;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The privacy decisions taken as a batch is folded, so the ingest stays database-free: an event of an erased
 * activity ({@link Redaction#erased}) is stored stripped; an open or click (ours or Resend's) of a recipient who has
 * denied tracking now records nothing personal: it is neither recorded nor folded, only counted in
 * {@code anonymous_engagement} (tenant, day, type), and so does not raise the status. One lookup per batch, and only
 * for the batch's opens and clicks.
 */
@Component
class PrivacyFilter {

    /** The events to apply (stripped where erased) and the hits counted anonymously instead. */
    record Filtered(List<Resolved> kept, List<EmailEvent> anonymous) {}

    private final RecipientPrivacy privacy;
    private final DatabaseClient db;

    PrivacyFilter(RecipientPrivacy privacy, DatabaseClient db) {
        this.privacy = privacy;
        this.db = db;
    }

    Mono<Filtered> filter(List<Resolved> resolved, Map<ActivityKey, ActivityState> current) {
        Map<Resolved, String> hitHashes = new HashMap<>();
        for (Resolved r : resolved) {
            ActivityState state = current.get(r.key());
            if (state != null && !Redaction.erased(state) && hit(r.event())) {
                String address = recipient(state, r.event());
                if (address != null) {
                    hitHashes.put(r, privacy.hash(r.key().tenantId(), address));
                }
            }
        }
        return privacy.entries(hitHashes.values()).map(entries -> {
            List<Resolved> kept = new ArrayList<>(resolved.size());
            List<EmailEvent> anonymous = new ArrayList<>();
            for (Resolved r : resolved) {
                ActivityState state = current.get(r.key());
                RecipientPrivacy.Entry entry = hitHashes.containsKey(r) ? entries.get(hitHashes.get(r)) : null;
                if (state != null && Redaction.erased(state)) {
                    kept.add(new Resolved(r.key(), Redaction.strip(r.event())));
                } else if (entry != null && entry.tracking() == RecipientPrivacy.Consent.DENIED) {
                    anonymous.add(r.event());
                } else {
                    kept.add(r);
                }
            }
            return new Filtered(kept, anonymous);
        });
    }

    /** Adds the hits to the per-tenant, per-day counts, in the caller's transaction. */
    Mono<Void> count(List<EmailEvent> anonymous) {
        if (anonymous.isEmpty()) {
            return Mono.empty();
        }
        Map<List<Object>, Long> counts = anonymous.stream()
                .collect(Collectors.groupingBy(
                        e -> List.of(
                                e.tenantId(),
                                LocalDate.ofInstant(e.occurredAt(), ZoneOffset.UTC),
                                e.type().wire()),
                        Collectors.counting()));
        List<List<Object>> keys = new ArrayList<>(counts.keySet());
        return db.sql("""
                INSERT INTO anonymous_engagement (tenant_id, day, type, hits)
                SELECT * FROM unnest($1::text[], $2::date[], $3::text[], $4::bigint[])
                ON CONFLICT (tenant_id, day, type) DO UPDATE SET hits = anonymous_engagement.hits + EXCLUDED.hits""")
                .bind(0, keys.stream().map(k -> (String) k.get(0)).toArray(String[]::new))
                .bind(1, keys.stream().map(k -> (LocalDate) k.get(1)).toArray(LocalDate[]::new))
                .bind(2, keys.stream().map(k -> (String) k.get(2)).toArray(String[]::new))
                .bind(3, keys.stream().map(counts::get).toArray(Long[]::new))
                .then();
    }

    private static boolean hit(EmailEvent e) {
        return e.type() == EmailEventType.OPENED || e.type() == EmailEventType.CLICKED;
    }

    /** The person the hit is about: its recipient's, when the email went out one message per recipient. */
    private static String recipient(ActivityState state, EmailEvent e) {
        String index = e.tags().get(Recipients.TAG);
        if (index != null && !state.recipients().isEmpty()) {
            return state.recipients().stream()
                    .filter(r -> Integer.toString(r.index()).equals(index))
                    .map(ActivityState.Recipient::email)
                    .findFirst()
                    .orElse(state.recipient());
        }
        return state.recipient();
    }
}
