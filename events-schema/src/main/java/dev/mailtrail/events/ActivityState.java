package dev.mailtrail.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The projection's one state per activity, as published on {@link Topics#ACTIVITY_STATE} after every
 * change. {@code version} increases with every change, so a reader can drop stale copies. {@code openCount} and
 * {@code clickCount} count human and unknown hits; {@code humanOpenCount} and {@code humanClickCount} are the
 * human ones among them (what the strict follow-up list reads); machine hits are counted apart.
 * <p>
 * Schema 2 adds {@code recipients}: one entry per recipient when the email went out as one message per recipient
 * ({@link Recipients}), by index; empty when it went out as one message. A schema 1 state reads with none.
 * <p>
 * {@code tags}: the caller's tags of the email ({@link CallerTags}), by name; a state written before reads with none.
 * <p>
 * {@code unsubscribedAt}: the earliest one-click unsubscribe (RFC 8058) of the email; it does not change the status.
 * <p>
 * {@code repliedAt} (the first reply) and {@code replyCount} (replies by a person; auto-replies are only in the
 * timeline) are additive: a state written before them reads with none.
 */
public record ActivityState(
        int schemaVersion,
        String activityId,
        String tenantId,
        long version,
        ActivityStatus status,
        String messageId,
        String recipient,
        String subject,
        OpenTracking openTracking,
        OwnTracking ownTracking,
        Instant queuedAt,
        Instant scheduledAt,
        Instant sentAt,
        Instant firstDelayedAt,
        Instant deliveredAt,
        Instant firstOpenedAt,
        Instant lastOpenedAt,
        long openCount,
        long machineOpenCount,
        long humanOpenCount,
        boolean openInferred,
        Instant firstClickedAt,
        Instant lastClickedAt,
        long clickCount,
        long machineClickCount,
        long humanClickCount,
        List<LinkClicks> links,
        Instant bouncedAt,
        EmailEvent.Bounce bounce,
        Instant complainedAt,
        Instant unsubscribedAt,
        Instant failedAt,
        String failureReason,
        Instant suppressedAt,
        Instant updatedAt,
        List<Recipient> recipients,
        Map<String, String> tags,
        Instant repliedAt,
        long replyCount) {

    public static final int SCHEMA_VERSION = 2;

    public ActivityState {
        links = links == null ? List.of() : List.copyOf(links);
        recipients = recipients == null ? List.of() : List.copyOf(recipients);
        // sorted by name, so equal tags are an equal state and the wire form is stable
        tags = tags == null ? Map.of() : java.util.Collections.unmodifiableSortedMap(new TreeMap<>(tags));
        // a state written before the field existed
        ownTracking = ownTracking == null ? OwnTracking.NONE : ownTracking;
    }

    /** A new state, built by component name. */
    public static ActivityStateBuilder builder() {
        return new ActivityStateBuilder();
    }

    /** A builder holding this state's components, to change some of them. */
    public ActivityStateBuilder toBuilder() {
        return new ActivityStateBuilder(this);
    }

    /** The recipients whose message bounced, was complained about, failed or was suppressed. */
    public long problems() {
        return recipients.stream().filter(Recipient::problem).count();
    }

    /**
     * One recipient's own message: its status (the highest rank it reached), times, our tracking's opens and clicks
     * that the edge did not call a machine's, and its bounce or failure.
     */
    public record Recipient(
            int index,
            String email,
            ActivityStatus status,
            String messageId,
            Instant sentAt,
            Instant deliveredAt,
            Instant firstOpenedAt,
            long openCount,
            Instant firstClickedAt,
            long clickCount,
            Instant bouncedAt,
            EmailEvent.Bounce bounce,
            Instant complainedAt,
            Instant unsubscribedAt,
            Instant failedAt,
            String failureReason,
            Instant suppressedAt) {

        /** A new recipient's state, built by component name. */
        public static RecipientBuilder builder() {
            return new RecipientBuilder();
        }

        /** A builder holding this recipient's components, to change some of them. */
        public RecipientBuilder toBuilder() {
            return new RecipientBuilder(this);
        }

        /** Bounced, complained, failed or suppressed: one of the activity's problems. */
        public boolean problem() {
            return status.rank() >= ActivityStatus.SUPPRESSED.rank();
        }
    }

    public record LinkClicks(String url, long clicks, long machineClicks) {}

    /**
     * Our own tracking of the email: {@code opens}, our pixel is in it; {@code clicks}, its links go through our
     * redirect (as the send-service declared at acceptance, or as our first hit of the kind proved). While ours
     * observes a kind, the engagement counts of that kind are our hits alone: the provider's opens (clicks) of the
     * email corroborate them, are counted here, and stay in the timeline. {@code noConsent}: tracking was asked for
     * but left out because the recipient had not consented (issue 24); a state written before reads false.
     */
    public record OwnTracking(
            boolean opens, boolean clicks, long corroboratingOpens, long corroboratingClicks, Boolean noConsent) {

        public OwnTracking {
            // absent in a state written before the field existed (a boxed component, so reading it does not fail)
            noConsent = Boolean.TRUE.equals(noConsent);
        }

        public static final OwnTracking NONE = new OwnTracking(false, false, 0, 0);
        /** Neither ours nor the provider's tracking: the recipient had not consented. */
        public static final OwnTracking NO_CONSENT = new OwnTracking(false, false, 0, 0, true);

        public OwnTracking(boolean opens, boolean clicks, long corroboratingOpens, long corroboratingClicks) {
            this(opens, clicks, corroboratingOpens, corroboratingClicks, false);
        }

        /** What our tracking observes, nothing corroborated yet. */
        public static OwnTracking of(boolean opens, boolean clicks) {
            return new OwnTracking(opens, clicks, 0, 0);
        }
    }
}
