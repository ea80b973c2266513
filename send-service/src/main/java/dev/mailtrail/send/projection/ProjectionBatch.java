package dev.mailtrail.send.projection;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.projection.ActivityEventRepository.Resolved;
import dev.mailtrail.send.projection.ProjectionMetrics.Outcome;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Applies one poll batch in one Postgres transaction: resolve each event's activity (its tag, else Resend's email
 * id; unknown ids are parked), read their states, record each new eventId (opens and clicks with their payload up
 * to the cap), fold only the new events into their activities' states (reading what {@link EngagementFold} needs
 * of the recorded clicks around new ones), store the burst flags found, write the changed states and their outbox
 * rows. The consumer commits offsets after this completes, so a crash anywhere re-delivers the batch and the
 * recorded ids turn the replay into no-ops. A handful of statements per batch, whatever its size.
 */
@Component
public class ProjectionBatch {

    private final ActivityStateRepository states;
    private final ActivityEventRepository events;
    private final RecordedHits hits;
    private final ProviderMessages messages;
    private final Outbox outbox;
    private final TransactionalOperator transaction;
    private final ProjectionMetrics metrics;
    private final EngagementRules rules;
    private final Clock clock;

    @Autowired
    ProjectionBatch(ActivityStateRepository states, ActivityEventRepository events, RecordedHits hits,
            ProviderMessages messages, Outbox outbox, TransactionalOperator transaction, ProjectionMetrics metrics,
            EngagementRules rules) {
        this(states, events, hits, messages, outbox, transaction, metrics, rules, Clock.systemUTC());
    }

    ProjectionBatch(ActivityStateRepository states, ActivityEventRepository events, RecordedHits hits,
            ProviderMessages messages, Outbox outbox, TransactionalOperator transaction, ProjectionMetrics metrics,
            EngagementRules rules, Clock clock) {
        this.states = states;
        this.events = events;
        this.hits = hits;
        this.messages = messages;
        this.outbox = outbox;
        this.transaction = transaction;
        this.metrics = metrics;
        this.rules = rules;
        this.clock = clock;
    }

    /** How many activity states changed (and wait in the outbox), and the events that named the wrong tenant. */
    public record Applied(int changed, List<EmailEvent> mismatched) {
    }

    /**
     * Applies the batch; outcomes are counted once committed. An event whose tenant is not the tenant of the
     * activity its provider message id belongs to changes nothing and is answered in {@link Applied#mismatched}.
     */
    public Mono<Applied> apply(List<EmailEvent> batch) {
        if (batch.isEmpty()) {
            return Mono.just(new Applied(0, List.of()));
        }
        return Mono.defer(() -> {
            List<Map.Entry<EmailEvent, Outcome>> outcomes = new ArrayList<>(batch.size());
            Map<String, ActivityKey> owners = new HashMap<>();
            return resolve(batch, owners, outcomes)
                    .flatMap(resolved -> current(resolved).flatMap(current -> events.recordNew(resolved, current)
                            .collect(HashSet<String>::new, Set::add)
                            .flatMap(newIds -> fold(resolved, newIds, current, outcomes))))
                    .as(transaction::transactional)
                    .map(changed -> new Applied(changed, outcomes.stream()
                            .filter(o -> o.getValue() == Outcome.TENANT_MISMATCH).map(Map.Entry::getKey).toList()))
                    .doOnSuccess(applied -> {
                        messages.committed(owners);
                        outcomes.forEach(o -> metrics.event(o.getKey(), o.getValue()));
                    });
        });
    }

    /** Resend email id → activity, claimed by the events that name both. */
    private static Map<String, ActivityKey> claims(List<EmailEvent> batch) {
        Map<String, ActivityKey> claims = new HashMap<>();
        for (EmailEvent e : batch) {
            if (e.activityKey() != null && e.providerMessageId() != null) {
                claims.putIfAbsent(e.providerMessageId(), e.activityKey());
            }
        }
        return claims;
    }

    /**
     * The batch's events with their activity, plus the parked events whose email id this batch links. Events that do
     * not name their activity in full (no tags, or a version 1 event without a tenant) resolve through their email
     * id, and are parked while it is not linked yet. An event naming one tenant whose email id belongs to another
     * tenant's activity is a mismatch. See {@link ProviderMessages} for why the locks.
     */
    private Mono<List<Resolved>> resolve(List<EmailEvent> batch, Map<String, ActivityKey> owners,
            List<Map.Entry<EmailEvent, Outcome>> outcomes) {
        List<Resolved> resolved = new ArrayList<>(batch.size());
        List<EmailEvent> untagged = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (EmailEvent e : batch) {
            if (e.activityKey() == null) {
                untagged.add(e);
                wanted.add(e.providerMessageId());
            }
        }
        return messages.link(claims(batch)).flatMap(links -> {
            owners.putAll(links.owners());
            for (EmailEvent e : batch) {
                if (e.activityKey() != null) {
                    place(e, e.activityKey(), links.owners().get(e.providerMessageId()), resolved, outcomes);
                }
            }
            Set<String> locks = new HashSet<>(links.learnt());
            locks.addAll(wanted);
            return messages.lock(locks)
                    .then(messages.find(wanted))
                    .flatMap(found -> {
                        owners.putAll(found);
                        List<EmailEvent> unknown = new ArrayList<>();
                        for (EmailEvent e : untagged) {
                            ActivityKey owner = found.get(e.providerMessageId());
                            if (owner == null) {
                                unknown.add(e);
                            }
                            else {
                                place(e, owner, owner, resolved, outcomes);
                            }
                        }
                        return messages.park(unknown).doOnNext(parked -> unknown.forEach(e -> outcomes.add(
                                Map.entry(e, parked.contains(e.eventId()) ? Outcome.PARKED : Outcome.DUPLICATE))));
                    })
                    .then(messages.release(links.learnt()))
                    .map(released -> {
                        released.forEach(e -> {
                            ActivityKey owner = links.owners().get(e.providerMessageId());
                            place(e, owner, owner, resolved, outcomes);
                        });
                        return resolved;
                    });
        });
    }

    /**
     * The event goes to {@code key} unless it names a tenant other than that of the activity its email id belongs to
     * ({@code owner}, null when unknown): then it is a mismatch and changes nothing.
     */
    private static void place(EmailEvent e, ActivityKey key, ActivityKey owner, List<Resolved> resolved,
            List<Map.Entry<EmailEvent, Outcome>> outcomes) {
        String tenant = e.tenantId() != null ? e.tenantId() : key.tenantId();
        if (owner != null && !owner.tenantId().equals(tenant)) {
            outcomes.add(Map.entry(e, Outcome.TENANT_MISMATCH));
        }
        else {
            resolved.add(new Resolved(key, e));
        }
    }

    /**
     * The stored states of the batch's activities, not locked: {@link ActivityStateRepository#save} writes only the
     * next version of what was read.
     */
    private Mono<Map<ActivityKey, ActivityState>> current(List<Resolved> resolved) {
        if (resolved.isEmpty()) {
            return Mono.just(Map.of());
        }
        Set<ActivityKey> keys = new HashSet<>();
        resolved.forEach(r -> keys.add(r.key()));
        return states.current(keys).collectMap(ActivityKey::of);
    }

    private Mono<Integer> fold(List<Resolved> resolved, Set<String> newIds, Map<ActivityKey, ActivityState> current,
            List<Map.Entry<EmailEvent, Outcome>> outcomes) {
        Map<ActivityKey, List<EmailEvent>> byActivity = new TreeMap<>();
        for (Resolved r : resolved) {
            boolean isNew = newIds.remove(r.event().eventId());
            if (isNew) {
                byActivity.computeIfAbsent(r.key(), key -> new ArrayList<>()).add(r.event());
            }
            outcomes.add(Map.entry(r.event(), isNew ? Outcome.APPLIED : Outcome.DUPLICATE));
        }
        if (byActivity.isEmpty()) {
            return Mono.just(0);
        }
        Instant now = clock.instant();
        List<EngagementFold.Read> reads = byActivity.entrySet().stream()
                .map(a -> ActivityFold.reads(current.get(a.getKey()), a.getKey(), a.getValue(), rules))
                .toList();
        return hits.read(reads).flatMap(recorded -> {
            List<ActivityState> changed = new ArrayList<>();
            Map<String, Map<String, Boolean>> bursts = new HashMap<>();
            byActivity.forEach((key, newEvents) -> {
                ActivityFold.Folded folded = ActivityFold.next(current.get(key), key, newEvents,
                        recorded.get(key.value()), rules, now);
                folded.state().ifPresent(changed::add);
                if (!folded.bursts().isEmpty()) {
                    bursts.put(key.value(), folded.bursts());
                }
            });
            List<Outbox.Message> published = changed.stream()
                    .map(s -> new Outbox.Message(Topics.ACTIVITY_STATE, ActivityKey.of(s).value(), s, true))
                    .toList();
            return hits.markBursts(bursts).then(states.save(changed)).then(outbox.add(published))
                    .thenReturn(changed.size());
        });
    }
}
