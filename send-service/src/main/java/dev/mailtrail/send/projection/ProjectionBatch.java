package dev.mailtrail.send.projection;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.projection.ActivityEventRepository.Resolved;
import io.r2dbc.postgresql.codec.Json;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies one poll batch in one Postgres transaction: record each new eventId, fold only the new events into
 * their activities' states, write the changed states. The consumer commits offsets after this completes, so a
 * crash anywhere re-delivers the batch and the recorded ids turn the replay into no-ops.
 */
@Component
public class ProjectionBatch {

    /** Ties on time are broken by id, so the earliest event's details win the same way every time. */
    static final Comparator<EmailEvent> APPLY_ORDER =
            Comparator.comparing(EmailEvent::occurredAt).thenComparing(EmailEvent::eventId);

    private final DatabaseClient db;
    private final ActivityStateRepository states;
    private final ActivityEventRepository events;
    private final TransactionalOperator transaction;
    private final ProjectionMetrics metrics;
    private final Clock clock;

    @Autowired
    public ProjectionBatch(DatabaseClient db, ActivityStateRepository states, ActivityEventRepository events,
            TransactionalOperator transaction, ProjectionMetrics metrics) {
        this(db, states, events, transaction, metrics, Clock.systemUTC());
    }

    ProjectionBatch(DatabaseClient db, ActivityStateRepository states, ActivityEventRepository events,
            TransactionalOperator transaction, ProjectionMetrics metrics, Clock clock) {
        this.db = db;
        this.states = states;
        this.events = events;
        this.transaction = transaction;
        this.metrics = metrics;
        this.clock = clock;
    }

    public Mono<Void> apply(List<EmailEvent> batch) {
        return resolve(batch)
                .flatMap(resolution -> park(resolution.unresolved())
                        .then(events.recordNew(resolution.resolved()).collect(HashSet<String>::new, Set::add))
                        .flatMap(newIds -> fold(resolution.resolved(), newIds)))
                .as(transaction::transactional);
    }

    private Mono<Void> fold(List<Resolved> resolved, Set<String> newIds) {
        Map<String, List<EmailEvent>> byActivity = new LinkedHashMap<>();
        for (Resolved r : resolved) {
            if (newIds.remove(r.event().eventId())) {
                byActivity.computeIfAbsent(r.activityId(), id -> new ArrayList<>()).add(r.event());
                metrics.event(r.event(), ProjectionMetrics.Outcome.APPLIED);
            }
            else {
                metrics.event(r.event(), ProjectionMetrics.Outcome.DUPLICATE);
            }
        }
        if (byActivity.isEmpty()) {
            return Mono.empty();
        }
        return states.findAll(byActivity.keySet())
                .collectMap(ActivityState::activityId)
                .flatMapMany(current -> Flux.fromIterable(byActivity.entrySet())
                        .concatMap(entry -> states.upsert(next(current.get(entry.getKey()), entry.getKey(),
                                entry.getValue()))))
                .then();
    }

    private ActivityState next(ActivityState current, String activityId, List<EmailEvent> newEvents) {
        ActivityState state = current != null ? current : ActivityFold.empty(activityId, clock.instant());
        newEvents.sort(APPLY_ORDER);
        for (EmailEvent event : newEvents) {
            state = ActivityFold.apply(state, event);
        }
        return Versions.bump(state, clock.instant());
    }

    /** Activity from the event's own tag, else through the Resend email id already stored on a state. */
    private Mono<Resolution> resolve(List<EmailEvent> batch) {
        Map<String, String> known = new HashMap<>();
        Set<String> lookup = new HashSet<>();
        for (EmailEvent e : batch) {
            if (e.activityId() != null && e.providerMessageId() != null) {
                known.put(e.providerMessageId(), e.activityId());
            }
        }
        for (EmailEvent e : batch) {
            if (e.activityId() == null && e.providerMessageId() != null && !known.containsKey(e.providerMessageId())) {
                lookup.add(e.providerMessageId());
            }
        }
        Mono<Map<String, String>> stored = lookup.isEmpty() ? Mono.just(Map.of())
                : db.sql("SELECT message_id, activity_id FROM activity_state WHERE message_id = ANY($1)")
                        .bind(0, lookup.toArray(String[]::new))
                        .map(row -> Map.entry(row.get("message_id", String.class), row.get("activity_id", String.class)))
                        .all()
                        .collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return stored.map(found -> {
            known.putAll(found);
            List<Resolved> resolved = new ArrayList<>();
            List<EmailEvent> unresolved = new ArrayList<>();
            for (EmailEvent e : batch) {
                String activityId = e.activityId() != null ? e.activityId() : known.get(e.providerMessageId());
                if (activityId != null) {
                    resolved.add(new Resolved(activityId, e));
                }
                else {
                    unresolved.add(e);
                }
            }
            return new Resolution(resolved, unresolved);
        });
    }

    /** Kept, not dropped: applied once an event tells which activity the Resend email id belongs to. */
    private Mono<Void> park(List<EmailEvent> unresolved) {
        return Flux.fromIterable(unresolved)
                .concatMap(e -> db.sql("""
                        INSERT INTO parked_event (event_id, provider_message_id, payload) VALUES ($1, $2, $3)
                        ON CONFLICT (event_id) DO NOTHING""")
                        .bind(0, e.eventId())
                        .bind(1, e.providerMessageId() == null ? "" : e.providerMessageId())
                        .bind(2, Json.of(WireJson.write(e)))
                        .then()
                        .doOnSuccess(ignored -> metrics.event(e, ProjectionMetrics.Outcome.PARKED)))
                .then();
    }

    private record Resolution(List<Resolved> resolved, List<EmailEvent> unresolved) {
    }
}
