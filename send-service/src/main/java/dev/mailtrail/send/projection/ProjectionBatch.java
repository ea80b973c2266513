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

    /** Answers how many activity states changed (and wait in the outbox). Outcomes are counted once committed. */
    public Mono<Integer> apply(List<EmailEvent> batch) {
        if (batch.isEmpty()) {
            return Mono.just(0);
        }
        return Mono.defer(() -> {
            List<Map.Entry<EmailEvent, Outcome>> outcomes = new ArrayList<>(batch.size());
            Map<String, String> links = links(batch);
            return resolve(batch, links, outcomes)
                    .flatMap(resolved -> current(resolved).flatMap(current -> events.recordNew(resolved, current)
                            .collect(HashSet<String>::new, Set::add)
                            .flatMap(newIds -> fold(resolved, newIds, current, outcomes))))
                    .as(transaction::transactional)
                    .doOnSuccess(changed -> {
                        messages.committed(links.keySet());
                        outcomes.forEach(o -> metrics.event(o.getKey(), o.getValue()));
                    });
        });
    }

    /** Resend email id → activity, from the tagged events that carry both. */
    private static Map<String, String> links(List<EmailEvent> batch) {
        Map<String, String> links = new HashMap<>();
        for (EmailEvent e : batch) {
            if (e.activityId() != null && e.providerMessageId() != null) {
                links.putIfAbsent(e.providerMessageId(), e.activityId());
            }
        }
        return links;
    }

    /**
     * The batch's events with their activity, plus the parked events whose email id this batch links. Untagged
     * events whose email id is not linked yet are parked. See {@link ProviderMessages} for why the locks.
     */
    private Mono<List<Resolved>> resolve(List<EmailEvent> batch, Map<String, String> links,
            List<Map.Entry<EmailEvent, Outcome>> outcomes) {
        List<Resolved> resolved = new ArrayList<>(batch.size());
        List<EmailEvent> untagged = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (EmailEvent e : batch) {
            if (e.activityId() == null) {
                untagged.add(e);
                wanted.add(e.providerMessageId());
            }
            else {
                resolved.add(new Resolved(e.activityId(), e));
            }
        }
        return messages.link(links).flatMap(linked -> {
            Set<String> locks = new HashSet<>(linked);
            locks.addAll(wanted);
            return messages.lock(locks)
                    .then(messages.find(wanted))
                    .flatMap(found -> {
                        List<EmailEvent> unknown = new ArrayList<>();
                        for (EmailEvent e : untagged) {
                            String activityId = found.get(e.providerMessageId());
                            if (activityId == null) {
                                unknown.add(e);
                            }
                            else {
                                resolved.add(new Resolved(activityId, e));
                            }
                        }
                        return messages.park(unknown).doOnNext(parked -> unknown.forEach(e -> outcomes.add(
                                Map.entry(e, parked.contains(e.eventId()) ? Outcome.PARKED : Outcome.DUPLICATE))));
                    })
                    .then(messages.release(linked))
                    .map(released -> {
                        released.forEach(e -> resolved.add(new Resolved(links.get(e.providerMessageId()), e)));
                        return resolved;
                    });
        });
    }

    /**
     * The stored states of the batch's activities, not locked: {@link ActivityStateRepository#save} writes only the
     * next version of what was read.
     */
    private Mono<Map<String, ActivityState>> current(List<Resolved> resolved) {
        if (resolved.isEmpty()) {
            return Mono.just(Map.of());
        }
        Set<String> activityIds = new HashSet<>();
        resolved.forEach(r -> activityIds.add(r.activityId()));
        return states.current(activityIds).collectMap(ActivityState::activityId);
    }

    private Mono<Integer> fold(List<Resolved> resolved, Set<String> newIds, Map<String, ActivityState> current,
            List<Map.Entry<EmailEvent, Outcome>> outcomes) {
        Map<String, List<EmailEvent>> byActivity = new TreeMap<>();
        for (Resolved r : resolved) {
            boolean isNew = newIds.remove(r.event().eventId());
            if (isNew) {
                byActivity.computeIfAbsent(r.activityId(), id -> new ArrayList<>()).add(r.event());
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
            byActivity.forEach((activityId, newEvents) -> {
                ActivityFold.Folded folded = ActivityFold.next(current.get(activityId), activityId, newEvents,
                        recorded.get(activityId), rules, now);
                folded.state().ifPresent(changed::add);
                if (!folded.bursts().isEmpty()) {
                    bursts.put(activityId, folded.bursts());
                }
            });
            List<Outbox.Message> published = changed.stream()
                    .map(s -> new Outbox.Message(Topics.ACTIVITY_STATE, s.activityId(), s, true))
                    .toList();
            return hits.markBursts(bursts).then(states.save(changed)).then(outbox.add(published))
                    .thenReturn(changed.size());
        });
    }
}
