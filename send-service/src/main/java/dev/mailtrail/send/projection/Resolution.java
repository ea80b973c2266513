package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.send.projection.ActivityEventRepository.Resolved;
import dev.mailtrail.send.projection.ProjectionMetrics.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import reactor.core.publisher.Mono;

/**
 * Where a batch's events go: {@code resolved} to their activity (the batch's own, then the parked events this batch
 * links); {@code parked} while their email id is not linked yet (outcome PARKED, or DUPLICATE when parked before);
 * {@code mismatched} when they name another tenant than the activity their email id belongs to (they change
 * nothing); and the email ids' {@code owners} the batch linked or read, for {@link ProviderMessages#committed}.
 */
record Resolution(
        List<Resolved> resolved,
        List<Map.Entry<EmailEvent, Outcome>> parked,
        List<EmailEvent> mismatched,
        Map<String, ActivityKey> owners) {

    /**
     * Resolves the batch in the caller's transaction. Events that do not name their activity in full (no tags, or a
     * version 1 event without a tenant) resolve through their email id, and are parked while it is not linked yet.
     * See {@link ProviderMessages} for why the locks.
     */
    static Mono<Resolution> of(List<EmailEvent> batch, ProviderMessages messages) {
        Map<Boolean, List<EmailEvent>> byTag =
                batch.stream().collect(Collectors.partitioningBy(e -> e.activityKey() != null));
        List<EmailEvent> untagged = byTag.get(false);
        Set<String> wanted =
                untagged.stream().map(EmailEvent::providerMessageId).collect(Collectors.toSet());
        return messages.link(claims(batch)).flatMap(links -> {
            Resolution tagged = placed(byTag.get(true), EmailEvent::activityKey, links.owners());
            Set<String> locks = new HashSet<>(links.learnt());
            locks.addAll(wanted);
            return messages.lock(locks)
                    .then(messages.find(wanted))
                    .flatMap(found -> {
                        Map<Boolean, List<EmailEvent>> byOwner = untagged.stream()
                                .collect(Collectors.partitioningBy(e -> found.containsKey(e.providerMessageId())));
                        List<EmailEvent> unknown = byOwner.get(false);
                        Resolution known = placed(byOwner.get(true), e -> found.get(e.providerMessageId()), found);
                        return messages.park(unknown)
                                .map(parked -> tagged.plus(known)
                                        .plus(parked(unknown, parked))
                                        .plus(owned(links.owners(), found)));
                    })
                    // after the locks: released in sequence, never subscribed alongside (as zip would)
                    .flatMap(resolution -> messages.release(links.learnt())
                            .map(released -> resolution.plus(
                                    placed(released, e -> links.owners().get(e.providerMessageId()), links.owners()))));
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
     * Each event goes to its {@code key} unless it names a tenant other than that of the activity its email id
     * belongs to (in {@code owners}, absent when unknown): then it is a mismatch and changes nothing.
     */
    private static Resolution placed(
            List<EmailEvent> events, Function<EmailEvent, ActivityKey> key, Map<String, ActivityKey> owners) {
        List<Resolved> resolved = new ArrayList<>(events.size());
        List<EmailEvent> mismatched = new ArrayList<>();
        for (EmailEvent e : events) {
            ActivityKey to = key.apply(e);
            ActivityKey owner = e.providerMessageId() == null ? null : owners.get(e.providerMessageId());
            String tenant = e.tenantId() != null ? e.tenantId() : to.tenantId();
            if (owner != null && !owner.tenantId().equals(tenant)) {
                mismatched.add(e);
            } else {
                resolved.add(new Resolved(to, e));
            }
        }
        return new Resolution(resolved, List.of(), mismatched, Map.of());
    }

    private static Resolution parked(List<EmailEvent> unknown, Set<String> parkedNow) {
        return new Resolution(
                List.of(),
                unknown.stream()
                        .map(e -> Map.entry(e, parkedNow.contains(e.eventId()) ? Outcome.PARKED : Outcome.DUPLICATE))
                        .toList(),
                List.of(),
                Map.of());
    }

    /** The owners the batch linked, then those it read (which win, as read under the lock). */
    private static Resolution owned(Map<String, ActivityKey> linked, Map<String, ActivityKey> found) {
        Map<String, ActivityKey> owners = new HashMap<>(linked);
        owners.putAll(found);
        return new Resolution(List.of(), List.of(), List.of(), owners);
    }

    private Resolution plus(Resolution other) {
        Map<String, ActivityKey> allOwners = new HashMap<>(owners);
        allOwners.putAll(other.owners());
        return new Resolution(
                concat(resolved, other.resolved()),
                concat(parked, other.parked()),
                concat(mismatched, other.mismatched()),
                allOwners);
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
