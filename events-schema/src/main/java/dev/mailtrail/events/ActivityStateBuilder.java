package dev.mailtrail.events;

import dev.mailtrail.events.ActivityState.LinkClicks;
import dev.mailtrail.events.ActivityState.OwnTracking;
import dev.mailtrail.events.ActivityState.Recipient;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Builds an {@link ActivityState} by component name: {@link ActivityState#builder()} for a new one (current
 * schema version, everything else unset), {@link ActivityState#toBuilder()} for the next state with some components
 * changed. The record's constructor still normalises what is built, so the wire form is the record's alone.
 * <p>
 * Hand-written: a builder library would bring an annotation processor into the contract module for one class
 * of boilerplate; this one is plain Java any consumer reads.
 */
public final class ActivityStateBuilder {

    private int schemaVersion = ActivityState.SCHEMA_VERSION;
    private String activityId;
    private String tenantId;
    private long version;
    private ActivityStatus status;
    private String messageId;
    private String recipient;
    private String subject;
    private OpenTracking openTracking;
    private OwnTracking ownTracking;
    private Instant queuedAt;
    private Instant scheduledAt;
    private Instant sentAt;
    private Instant firstDelayedAt;
    private Instant deliveredAt;
    private Instant firstOpenedAt;
    private Instant lastOpenedAt;
    private long openCount;
    private long machineOpenCount;
    private long humanOpenCount;
    private boolean openInferred;
    private Instant firstClickedAt;
    private Instant lastClickedAt;
    private long clickCount;
    private long machineClickCount;
    private long humanClickCount;
    private List<LinkClicks> links;
    private Instant bouncedAt;
    private EmailEvent.Bounce bounce;
    private Instant complainedAt;
    private Instant unsubscribedAt;
    private Instant failedAt;
    private String failureReason;
    private Instant suppressedAt;
    private Instant updatedAt;
    private List<Recipient> recipients;
    private Map<String, String> tags;
    private Instant repliedAt;
    private long replyCount;

    ActivityStateBuilder() {}

    ActivityStateBuilder(ActivityState from) {
        schemaVersion = from.schemaVersion();
        activityId = from.activityId();
        tenantId = from.tenantId();
        version = from.version();
        status = from.status();
        messageId = from.messageId();
        recipient = from.recipient();
        subject = from.subject();
        openTracking = from.openTracking();
        ownTracking = from.ownTracking();
        queuedAt = from.queuedAt();
        scheduledAt = from.scheduledAt();
        sentAt = from.sentAt();
        firstDelayedAt = from.firstDelayedAt();
        deliveredAt = from.deliveredAt();
        firstOpenedAt = from.firstOpenedAt();
        lastOpenedAt = from.lastOpenedAt();
        openCount = from.openCount();
        machineOpenCount = from.machineOpenCount();
        humanOpenCount = from.humanOpenCount();
        openInferred = from.openInferred();
        firstClickedAt = from.firstClickedAt();
        lastClickedAt = from.lastClickedAt();
        clickCount = from.clickCount();
        machineClickCount = from.machineClickCount();
        humanClickCount = from.humanClickCount();
        links = from.links();
        bouncedAt = from.bouncedAt();
        bounce = from.bounce();
        complainedAt = from.complainedAt();
        unsubscribedAt = from.unsubscribedAt();
        failedAt = from.failedAt();
        failureReason = from.failureReason();
        suppressedAt = from.suppressedAt();
        updatedAt = from.updatedAt();
        recipients = from.recipients();
        tags = from.tags();
        repliedAt = from.repliedAt();
        replyCount = from.replyCount();
    }

    public ActivityStateBuilder schemaVersion(int schemaVersion) {
        this.schemaVersion = schemaVersion;
        return this;
    }

    public ActivityStateBuilder activityId(String activityId) {
        this.activityId = activityId;
        return this;
    }

    public ActivityStateBuilder tenantId(String tenantId) {
        this.tenantId = tenantId;
        return this;
    }

    public ActivityStateBuilder version(long version) {
        this.version = version;
        return this;
    }

    public ActivityStateBuilder status(ActivityStatus status) {
        this.status = status;
        return this;
    }

    public ActivityStateBuilder messageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    public ActivityStateBuilder recipient(String recipient) {
        this.recipient = recipient;
        return this;
    }

    public ActivityStateBuilder subject(String subject) {
        this.subject = subject;
        return this;
    }

    public ActivityStateBuilder openTracking(OpenTracking openTracking) {
        this.openTracking = openTracking;
        return this;
    }

    public ActivityStateBuilder ownTracking(OwnTracking ownTracking) {
        this.ownTracking = ownTracking;
        return this;
    }

    public ActivityStateBuilder queuedAt(Instant queuedAt) {
        this.queuedAt = queuedAt;
        return this;
    }

    public ActivityStateBuilder scheduledAt(Instant scheduledAt) {
        this.scheduledAt = scheduledAt;
        return this;
    }

    public ActivityStateBuilder sentAt(Instant sentAt) {
        this.sentAt = sentAt;
        return this;
    }

    public ActivityStateBuilder firstDelayedAt(Instant firstDelayedAt) {
        this.firstDelayedAt = firstDelayedAt;
        return this;
    }

    public ActivityStateBuilder deliveredAt(Instant deliveredAt) {
        this.deliveredAt = deliveredAt;
        return this;
    }

    public ActivityStateBuilder firstOpenedAt(Instant firstOpenedAt) {
        this.firstOpenedAt = firstOpenedAt;
        return this;
    }

    public ActivityStateBuilder lastOpenedAt(Instant lastOpenedAt) {
        this.lastOpenedAt = lastOpenedAt;
        return this;
    }

    public ActivityStateBuilder openCount(long openCount) {
        this.openCount = openCount;
        return this;
    }

    public ActivityStateBuilder machineOpenCount(long machineOpenCount) {
        this.machineOpenCount = machineOpenCount;
        return this;
    }

    public ActivityStateBuilder humanOpenCount(long humanOpenCount) {
        this.humanOpenCount = humanOpenCount;
        return this;
    }

    public ActivityStateBuilder openInferred(boolean openInferred) {
        this.openInferred = openInferred;
        return this;
    }

    public ActivityStateBuilder firstClickedAt(Instant firstClickedAt) {
        this.firstClickedAt = firstClickedAt;
        return this;
    }

    public ActivityStateBuilder lastClickedAt(Instant lastClickedAt) {
        this.lastClickedAt = lastClickedAt;
        return this;
    }

    public ActivityStateBuilder clickCount(long clickCount) {
        this.clickCount = clickCount;
        return this;
    }

    public ActivityStateBuilder machineClickCount(long machineClickCount) {
        this.machineClickCount = machineClickCount;
        return this;
    }

    public ActivityStateBuilder humanClickCount(long humanClickCount) {
        this.humanClickCount = humanClickCount;
        return this;
    }

    public ActivityStateBuilder links(List<LinkClicks> links) {
        this.links = links;
        return this;
    }

    public ActivityStateBuilder bouncedAt(Instant bouncedAt) {
        this.bouncedAt = bouncedAt;
        return this;
    }

    public ActivityStateBuilder bounce(EmailEvent.Bounce bounce) {
        this.bounce = bounce;
        return this;
    }

    public ActivityStateBuilder complainedAt(Instant complainedAt) {
        this.complainedAt = complainedAt;
        return this;
    }

    public ActivityStateBuilder unsubscribedAt(Instant unsubscribedAt) {
        this.unsubscribedAt = unsubscribedAt;
        return this;
    }

    public ActivityStateBuilder failedAt(Instant failedAt) {
        this.failedAt = failedAt;
        return this;
    }

    public ActivityStateBuilder failureReason(String failureReason) {
        this.failureReason = failureReason;
        return this;
    }

    public ActivityStateBuilder suppressedAt(Instant suppressedAt) {
        this.suppressedAt = suppressedAt;
        return this;
    }

    public ActivityStateBuilder updatedAt(Instant updatedAt) {
        this.updatedAt = updatedAt;
        return this;
    }

    public ActivityStateBuilder recipients(List<Recipient> recipients) {
        this.recipients = recipients;
        return this;
    }

    public ActivityStateBuilder tags(Map<String, String> tags) {
        this.tags = tags;
        return this;
    }

    public ActivityStateBuilder repliedAt(Instant repliedAt) {
        this.repliedAt = repliedAt;
        return this;
    }

    public ActivityStateBuilder replyCount(long replyCount) {
        this.replyCount = replyCount;
        return this;
    }

    public ActivityState build() {
        return new ActivityState(
                schemaVersion,
                activityId,
                tenantId,
                version,
                status,
                messageId,
                recipient,
                subject,
                openTracking,
                ownTracking,
                queuedAt,
                scheduledAt,
                sentAt,
                firstDelayedAt,
                deliveredAt,
                firstOpenedAt,
                lastOpenedAt,
                openCount,
                machineOpenCount,
                humanOpenCount,
                openInferred,
                firstClickedAt,
                lastClickedAt,
                clickCount,
                machineClickCount,
                humanClickCount,
                links,
                bouncedAt,
                bounce,
                complainedAt,
                unsubscribedAt,
                failedAt,
                failureReason,
                suppressedAt,
                updatedAt,
                recipients,
                tags,
                repliedAt,
                replyCount);
    }
}
