package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Recipients;
import dev.mailtrail.events.tracking.LinkTarget;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.ingest.client.ClientClassifier;
import dev.mailtrail.ingest.client.ClientHit;
import dev.mailtrail.ingest.client.IpHasher;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * A valid pixel or redirect hit → its {@link EmailEvent}, classified at the edge. A token minted for one recipient's
 * message names that recipient in the event's tags ({@link Recipients}).
 */
@Component
public class TrackingHits {

    private final ClientClassifier classifier;
    private final IpHasher ipHasher;
    private final long windowMillis;
    private final Clock clock;

    public TrackingHits(ClientClassifier classifier, IpHasher ipHasher, TrackingProperties properties, Clock clock) {
        this.classifier = classifier;
        this.ipHasher = ipHasher;
        this.windowMillis = properties.dedupeWindow().toMillis();
        this.clock = clock;
    }

    /** The hit, timed now; its event is built later, off the request thread ({@link #event}). */
    public PendingHit pending(String rawToken, TrackingToken token, ClientHit hit) {
        return PendingHit.of(rawToken, token, hit, clock.instant());
    }

    /** Classifying may wait for YAUAA's rules right after a start: never on a request thread. */
    public EmailEvent event(PendingHit pending) {
        TrackingToken token = pending.token();
        ClientHit hit = pending.client();
        Instant now = pending.at();
        ClientClassifier.Verdict verdict = classifier.classify(hit, token.kind());
        String ipHash = ipHasher.hash(hit.ip());
        boolean click = token.kind() == TrackingToken.Kind.CLICK;
        return EmailEvent.builder()
                .eventId(HitIdentity.of(
                        click ? "click" : "open", pending.rawToken(), now.toEpochMilli() / windowMillis, ipHash, hit))
                .type(click ? EmailEventType.CLICKED : EmailEventType.OPENED)
                .occurredAt(now)
                .receivedAt(now)
                .source(click ? EventSource.TRACKING_REDIRECT : EventSource.TRACKING_PIXEL)
                .activityId(token.activityId())
                .tenantId(token.tenantId())
                .tags(token.recipient() == null ? Map.of() : Recipients.tag(token.recipient()))
                .click(click ? new EmailEvent.Click(LinkTarget.followed(token.url()), token.linkIndex()) : null)
                .client(new EmailEvent.Client(ipHash, hit.userAgent(), verdict.classification(), verdict.reasons()))
                .build();
    }
}
