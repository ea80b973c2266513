package dev.mailtrail.events;

import java.time.Instant;

/**
 * Builds an {@link ActivityState.Recipient} by component name: {@link ActivityState.Recipient#builder()},
 * {@link ActivityState.Recipient#toBuilder()}. Hand-written, as {@link ActivityStateBuilder} is.
 */
public final class RecipientBuilder {

    private int index;
    private String email;
    private ActivityStatus status;
    private String messageId;
    private Instant sentAt;
    private Instant deliveredAt;
    private Instant firstOpenedAt;
    private long openCount;
    private Instant firstClickedAt;
    private long clickCount;
    private Instant bouncedAt;
    private EmailEvent.Bounce bounce;
    private Instant complainedAt;
    private Instant unsubscribedAt;
    private Instant failedAt;
    private String failureReason;
    private Instant suppressedAt;

    RecipientBuilder() {}

    RecipientBuilder(ActivityState.Recipient from) {
        index = from.index();
        email = from.email();
        status = from.status();
        messageId = from.messageId();
        sentAt = from.sentAt();
        deliveredAt = from.deliveredAt();
        firstOpenedAt = from.firstOpenedAt();
        openCount = from.openCount();
        firstClickedAt = from.firstClickedAt();
        clickCount = from.clickCount();
        bouncedAt = from.bouncedAt();
        bounce = from.bounce();
        complainedAt = from.complainedAt();
        unsubscribedAt = from.unsubscribedAt();
        failedAt = from.failedAt();
        failureReason = from.failureReason();
        suppressedAt = from.suppressedAt();
    }

    public RecipientBuilder index(int index) {
        this.index = index;
        return this;
    }

    public RecipientBuilder email(String email) {
        this.email = email;
        return this;
    }

    public RecipientBuilder status(ActivityStatus status) {
        this.status = status;
        return this;
    }

    public RecipientBuilder messageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public RecipientBuilder sentAt(Instant sentAt) {
        this.sentAt = sentAt;
        return this;
    }

    public RecipientBuilder deliveredAt(Instant deliveredAt) {
        this.deliveredAt = deliveredAt;
        return this;
    }

    public RecipientBuilder firstOpenedAt(Instant firstOpenedAt) {
        this.firstOpenedAt = firstOpenedAt;
        return this;
    }

    public RecipientBuilder openCount(long openCount) {
        this.openCount = openCount;
        return this;
    }

    public RecipientBuilder firstClickedAt(Instant firstClickedAt) {
        this.firstClickedAt = firstClickedAt;
        return this;
    }

    public RecipientBuilder clickCount(long clickCount) {
        this.clickCount = clickCount;
        return this;
    }

    public RecipientBuilder bouncedAt(Instant bouncedAt) {
        this.bouncedAt = bouncedAt;
        return this;
    }

    public RecipientBuilder bounce(EmailEvent.Bounce bounce) {
        this.bounce = bounce;
        return this;
    }

    public RecipientBuilder complainedAt(Instant complainedAt) {
        this.complainedAt = complainedAt;
        return this;
    }

    public RecipientBuilder unsubscribedAt(Instant unsubscribedAt) {
        this.unsubscribedAt = unsubscribedAt;
        return this;
    }

    public RecipientBuilder failedAt(Instant failedAt) {
        this.failedAt = failedAt;
        return this;
    }

    public RecipientBuilder failureReason(String failureReason) {
        this.failureReason = failureReason;
        return this;
    }

    public RecipientBuilder suppressedAt(Instant suppressedAt) {
        this.suppressedAt = suppressedAt;
        return this;
    }

    public ActivityState.Recipient build() {
        return new ActivityState.Recipient(
                index,
                email,
                status,
                messageId,
                sentAt,
                deliveredAt,
                firstOpenedAt,
                openCount,
                firstClickedAt,
                clickCount,
                bouncedAt,
                bounce,
                complainedAt,
                unsubscribedAt,
                failedAt,
                failureReason,
                suppressedAt);
    }
}
