package dev.mailtrail.send.privacy;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.Topics;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.projection.ActivityStateRepository;
import dev.mailtrail.send.projection.RecipientPrivacy;
import dev.mailtrail.send.projection.Redaction;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Erase by recipient: pages of {@value #PAGE} of the tenant's activities sent to the address, each in a transaction of
 * its own (bounded work per statement, however many activities the person has): every {@link ErasureStep} redacts
 * its store, then the states are redacted ({@link Redaction#redact}) and put in the outbox, so the compacted state
 * topic receives them. A redacted state no longer names the address, so the next page finds the next activities and
 * a repeated erase finds none: idempotent. Then the per-address steps, and the erase is remembered by hash.
 */
@Component
class Erasure {

    static final int PAGE = 100;
    private static final Logger log = LoggerFactory.getLogger(Erasure.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final ActivityStateRepository states;
    private final Outbox outbox;
    private final RecipientPrivacy privacy;
    private final List<ErasureStep> steps;
    private final Clock clock;
    private final PrivacyMetrics metrics;

    Erasure(
            DatabaseClient db,
            TransactionalOperator transaction,
            ActivityStateRepository states,
            Outbox outbox,
            RecipientPrivacy privacy,
            List<ErasureStep> steps,
            Clock clock,
            PrivacyMetrics metrics) {
        this.db = db;
        this.transaction = transaction;
        this.states = states;
        this.outbox = outbox;
        this.privacy = privacy;
        this.steps = steps;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** Erases the person in the tenant; answers how many activities were redacted now. */
    Mono<Long> erase(String tenantId, String email) {
        String address = RecipientPrivacy.normalise(email);
        ErasureStep.Request request = new ErasureStep.Request(tenantId, address, privacy.hash(tenantId, address));
        return page(request)
                .expand(erased -> erased == PAGE ? page(request) : Mono.empty())
                .reduce(0L, Long::sum)
                .flatMap(erased -> addressSteps(request)
                        .then(privacy.erased(request.hash(), clock.instant()))
                        .as(transaction::transactional)
                        .thenReturn(erased))
                .doOnNext(erased -> {
                    metrics.erased(erased);
                    // no address, tenant or activity id: the line itself must not say who was erased
                    log.info("Erased a recipient: {} activity(ies) redacted", erased);
                });
    }

    private Mono<Void> addressSteps(ErasureStep.Request request) {
        return Flux.fromIterable(steps).concatMap(step -> step.address(request)).then();
    }

    /** One page in one transaction; a projection batch that changed one of its states first makes it run again. */
    private Mono<Long> page(ErasureStep.Request request) {
        return Mono.defer(() -> db.sql("""
                        SELECT * FROM activity_state WHERE tenant_id = $1
                          AND (lower(recipient) = $2 OR EXISTS (SELECT 1 FROM jsonb_array_elements(recipients) AS r
                                                                WHERE lower(r->>'email') = $2))
                        ORDER BY activity_id LIMIT $3""")
                        .bind(0, request.tenantId())
                        .bind(1, request.address())
                        .bind(2, PAGE)
                        .map(ActivityStateRepository::toState)
                        .all()
                        .collectList()
                        .flatMap(found -> redact(request, found))
                        .as(transaction::transactional))
                .retryWhen(Retry.backoff(5, Duration.ofMillis(50)));
    }

    private Mono<Long> redact(ErasureStep.Request request, List<ActivityState> found) {
        if (found.isEmpty()) {
            return Mono.just(0L);
        }
        List<ActivityKey> keys = found.stream().map(ActivityKey::of).toList();
        String erasedAs = privacy.erasedAs(request.tenantId(), request.address());
        List<ActivityState> redacted = found.stream()
                .map(s -> Redaction.redact(
                        s, address -> RecipientPrivacy.normalise(address).equals(request.address()), erasedAs))
                .sorted(Comparator.comparing(ActivityState::tenantId).thenComparing(ActivityState::activityId))
                .toList();
        return Flux.fromIterable(steps)
                .concatMap(step -> step.activities(request, keys))
                .then(states.save(redacted))
                .then(outbox.add(redacted.stream()
                        .map(s -> new Outbox.Message(
                                Topics.ACTIVITY_STATE, ActivityKey.of(s).value(), s, true))
                        .toList()))
                .thenReturn((long) found.size());
    }
}
