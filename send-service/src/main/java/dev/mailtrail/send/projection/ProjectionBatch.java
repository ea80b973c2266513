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
 * id; unknown ids are parked), record each new eventId, fold only the new events into their activities' states
 * (reading the recorded opens and clicks of the activities whose engagement is recounted), write the changed
 * states and their outbox rows. The consumer commits offsets after this completes, so a crash
 * anywhere re-delivers the batch and the recorded ids turn the replay into no-ops. A handful of statements per
 * batch, whatever its size.
 */
@Component
public class ProjectionBatch {

    private final ActivityStateRepository states;
    private final ActivityEventRepository events;
    private final ProviderMessages messages;
    private final Outbox outbox;
    private final TransactionalOperator transaction;
    private final ProjectionMetrics metrics;
    private final EngagementRules rules;
    private final Clock clock;

    @Autowired
    ProjectionBatch(ActivityStateRepository states, ActivityEventRepository events, ProviderMessages messages,
            Outbox outbox, TransactionalOperator transaction, ProjectionMetrics metrics, EngagementRules rules) {
        this(states, events, messages, outbox, transaction, metrics, rules, Clock.systemUTC());
    }

    ProjectionBatch(ActivityStateRepository states, ActivityEventRepository events, ProviderMessages messages,
            Outbox outbox, TransactionalOperator transaction, ProjectionMetrics metrics, EngagementRules rules,
            Clock clock) {
        this.states = states;
        this.events = events;
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
                    .flatMap(resolved -> events.recordNew(resolved).collect(HashSet<String>::new, Set::add)
                            .flatMap(newIds -> fold(resolved, newIds, outcomes)))
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

    private Mono<Integer> fold(List<Resolved> resolved, Set<String> newIds,
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
        return states.current(byActivity.keySet())
                .collectMap(ActivityState::activityId)
                .flatMap(current -> {
                    // opens and clicks are recounted in context: one read for the activities that need theirs
                    List<String> recount = byActivity.entrySet().stream()
                            .filter(a -> ActivityFold.needsRecorded(current.get(a.getKey()), a.getValue()))
                            .map(Map.Entry::getKey)
                            .toList();
                    return events.engagement(recount).map(recorded -> {
                        List<ActivityState> changed = new ArrayList<>();
                        byActivity.forEach((activityId, newEvents) -> ActivityFold
                                .next(current.get(activityId), activityId, newEvents,
                                        recorded.getOrDefault(activityId, List.of()), rules, now)
                                .ifPresent(changed::add));
                        return changed;
                    });
                })
                .flatMap(changed -> {
                    List<Outbox.Message> published = changed.stream()
                            .map(s -> new Outbox.Message(Topics.ACTIVITY_STATE, s.activityId(), s, true))
                            .toList();
                    return states.save(changed).then(outbox.add(published)).thenReturn(changed.size());
                });
    }
}
