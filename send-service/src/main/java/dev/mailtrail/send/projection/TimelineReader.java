package dev.mailtrail.send.projection;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.ActivityState;
import dev.mailtrail.events.EmailEvent;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * An activity's timeline ({@link Timeline}) from the rows {@link ActivityEventRepository} reads: opens and clicks in
 * context ({@link Engagement#inContext}) of the state's delivery time and their stored burst flags, as the state
 * counts them.
 */
@Component
public class TimelineReader {

    private final ActivityEventRepository events;
    private final EngagementRules rules;

    public TimelineReader(ActivityEventRepository events, EngagementRules rules) {
        this.events = events;
        this.rules = rules;
    }

    /**
     * A page after the cursor ({@code afterAt} and {@code afterId} from its last entry; null for the first page),
     * at most {@code limit} entries.
     */
    public Mono<Timeline> page(ActivityState state, Instant afterAt, String afterId, int limit) {
        ActivityKey activity = ActivityKey.of(state);
        Instant scannerUntil = rules.scannerUntil(state.deliveredAt());
        // one more than asked says whether another page follows
        Mono<List<EmailEvent>> page = events.listed(activity, afterAt, afterId, limit + 1)
                .map(row -> Engagement.counts(row.event())
                        ? Engagement.inContext(row.event(), row.burst(), scannerUntil)
                        : row.event())
                .collectList();
        return Mono.zip(
                page,
                events.unlisted(activity),
                (listed, unlisted) -> new Timeline(
                        listed.subList(0, Math.min(limit, listed.size())),
                        listed.size() > limit,
                        unlisted.opens(),
                        unlisted.clicks()));
    }
}
