package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.projection.ActivityEventRepository.Resolved;
import dev.mailtrail.send.projection.ProjectionMetrics.Outcome;
import dev.mailtrail.send.suppression.Suppression;
import dev.mailtrail.send.suppression.SuppressionList;
import dev.mailtrail.send.suppression.SuppressionMetrics;
import dev.mailtrail.send.suppression.SuppressionSources;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Applies one poll batch in one Postgres transaction: resolve each event's activity (its tag, else Resend's email
 * id; unknown ids are parked), read their states, record each new eventId (opens and clicks with their payload up
 * to the cap), fold only the new events into their activities' states (reading what {@link EngagementFold} needs
 * of the recorded clicks around new ones), store the burst flags found, write the changed states, move the
 * engagement rollups by the changes ({@link Rollups}: one upsert, a row per key), write the outbox rows and the
 * suppression list entries the new facts make ({@link SuppressionSources}). Before recording, {@link PrivacyFilter}
 * strips the events of erased activities and takes the hits of recipients who denied tracking out, counted
 * anonymously. The consumer commits offsets after this completes, so a crash anywhere re-delivers the batch and the
 * recorded ids turn the replay into no-ops. A handful of statements per batch, whatever its size.
 */
@Component
public class ProjectionBatch {

    private final ActivityStateRepository states;
    private final ActivityEventRepository events;
    private final RecordedHits hits;
    private final ProviderMessages messages;
    private final MessageThreads threads;
    private final Outbox outbox;
    private final RollupRepository rollups;
    private final TransactionalOperator transaction;
    private final ProjectionMetrics metrics;
    private final EngagementRules rules;
    private final SuppressionList suppressions;
    private final SuppressionMetrics suppressionMetrics;
    private final Clock clock;
    private final PrivacyFilter privacy;

    ProjectionBatch(
            ActivityStateRepository states,
            ActivityEventRepository events,
            RecordedHits hits,
            ProviderMessages messages,
            MessageThreads threads,
            Outbox outbox,
            RollupRepository rollups,
            TransactionalOperator transaction,
            ProjectionMetrics metrics,
            EngagementRules rules,
            SuppressionList suppressions,
            SuppressionMetrics suppressionMetrics,
            Clock clock,
            PrivacyFilter privacy) {
        this.states = states;
        this.events = events;
        this.hits = hits;
        this.messages = messages;
        this.threads = threads;
        this.outbox = outbox;
        this.rollups = rollups;
        this.transaction = transaction;
        this.metrics = metrics;
        this.rules = rules;
        this.suppressions = suppressions;
        this.suppressionMetrics = suppressionMetrics;
        this.clock = clock;
        this.privacy = privacy;
    }

    /** How many activity states changed (and wait in the outbox), and the events that named the wrong tenant. */
    public record Applied(int changed, List<EmailEvent> mismatched) {}

    /**
     * Applies the batch; outcomes are counted once committed. An event whose tenant is not the tenant of the
     * activity its provider message id belongs to changes nothing and is answered in {@link Applied#mismatched}.
     */
    public Mono<Applied> apply(List<EmailEvent> batch) {
        if (batch.isEmpty()) {
            return Mono.just(new Applied(0, List.of()));
        }
        return Mono.defer(() -> rollups.guard()
                .then(Resolution.of(batch, messages))
                .flatMap(resolution -> threads.keep(resolution.resolved()).thenReturn(resolution))
                .flatMap(resolution -> current(resolution.resolved())
                        .flatMap(current -> privacy.filter(resolution.resolved(), current)
                                .flatMap(filtered -> privacy.count(filtered.anonymous())
                                        .then(events.recordNew(filtered.kept(), current)
                                                .collect(Collectors.toSet()))
                                        .flatMap(newIds -> fold(Fresh.of(filtered.kept(), newIds), current))
                                        .map(changes -> new Done(resolution, changes, filtered.anonymous())))))
                .as(transaction::transactional)
                .doOnSuccess(this::committed)
                .map(done ->
                        new Applied(done.changes().changed(), done.resolution().mismatched())));
    }

    /** What a committed batch came to: its resolution, the outcomes of its resolved events, the states changed. */
    private record Done(Resolution resolution, Changes changes, List<EmailEvent> anonymous) {}

    /**
     * The resolved events' outcomes (APPLIED or DUPLICATE), how many states the new ones changed, and the suppression
     * list entries they added.
     */
    private record Changes(List<Map.Entry<EmailEvent, Outcome>> outcomes, int changed, List<Suppression> suppressed) {}

    /** The new events (the first of each eventId recorded now) by activity, and every resolved event's outcome. */
    private record Fresh(Map<ActivityKey, List<EmailEvent>> byActivity, List<Map.Entry<EmailEvent, Outcome>> outcomes) {

        static Fresh of(List<Resolved> resolved, Set<String> newIds) {
            Set<String> unseen = new HashSet<>(newIds);
            Map<ActivityKey, List<EmailEvent>> byActivity = new TreeMap<>();
            List<Map.Entry<EmailEvent, Outcome>> outcomes = new ArrayList<>(resolved.size());
            for (Resolved r : resolved) {
                boolean isNew = unseen.remove(r.event().eventId());
                if (isNew) {
                    byActivity
                            .computeIfAbsent(r.key(), key -> new ArrayList<>())
                            .add(r.event());
                }
                outcomes.add(Map.entry(r.event(), isNew ? Outcome.APPLIED : Outcome.DUPLICATE));
            }
            return new Fresh(byActivity, outcomes);
        }
    }

    private void committed(Done done) {
        Resolution resolution = done.resolution();
        messages.committed(resolution.owners());
        resolution.parked().forEach(p -> metrics.event(p.getKey(), p.getValue()));
        resolution.mismatched().forEach(e -> metrics.event(e, Outcome.TENANT_MISMATCH));
        done.changes().outcomes().forEach(o -> metrics.event(o.getKey(), o.getValue()));
        suppressionMetrics.added(done.changes().suppressed());
        done.anonymous().forEach(e -> metrics.event(e, Outcome.ANONYMOUS));
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

    private Mono<Changes> fold(Fresh fresh, Map<ActivityKey, ActivityState> current) {
        Map<ActivityKey, List<EmailEvent>> byActivity = fresh.byActivity();
        if (byActivity.isEmpty()) {
            return Mono.just(new Changes(fresh.outcomes(), 0, List.of()));
        }
        Instant now = clock.instant();
        List<EngagementFold.Read> reads = byActivity.entrySet().stream()
                .map(a -> ActivityFold.reads(current.get(a.getKey()), a.getKey(), a.getValue(), rules))
                .toList();
        return hits.read(reads).flatMap(recorded -> {
            Map<ActivityKey, ActivityFold.Folded> folded = byActivity.entrySet().stream()
                    .collect(Collectors.toMap(
                            Map.Entry::getKey,
                            a -> ActivityFold.next(
                                    current.get(a.getKey()),
                                    a.getKey(),
                                    a.getValue(),
                                    recorded.get(a.getKey().value()),
                                    rules,
                                    now),
                            (a, b) -> a,
                            TreeMap::new));
            List<Rollups.Change> changes = folded.entrySet().stream()
                    .flatMap(f -> f.getValue().state().stream()
                            .map(next -> new Rollups.Change(current.get(f.getKey()), next)))
                    .toList();
            List<ActivityState> changed =
                    changes.stream().map(Rollups.Change::after).toList();
            Map<String, Map<String, Boolean>> bursts = folded.entrySet().stream()
                    .filter(f -> !f.getValue().bursts().isEmpty())
                    .collect(Collectors.toMap(
                            f -> f.getKey().value(), f -> f.getValue().bursts()));
            List<Outbox.Message> published = changed.stream()
                    .map(s -> new Outbox.Message(
                            Topics.ACTIVITY_STATE, ActivityKey.of(s).value(), s, true))
                    .toList();
            List<SuppressionSources.Source> sources = byActivity.entrySet().stream()
                    .flatMap(a -> SuppressionSources.of(
                            a.getKey(),
                            a.getValue(),
                            folded.get(a.getKey()).state().orElse(current.get(a.getKey())))
                            .stream())
                    .toList();
            return hits.markBursts(bursts)
                    .then(states.save(changed))
                    .then(rollups.move(changes))
                    .then(outbox.add(published))
                    .then(suppressions.record(sources))
                    .map(suppressed -> new Changes(fresh.outcomes(), changed.size(), suppressed));
        });
    }
}
