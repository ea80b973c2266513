package dev.mailtrail.events.tracking;

import java.util.Objects;

/**
 * What a tracking URL (or a reply address) is bound to. An open, unsubscribe or reply token has no link; a click token has the destination and the
 * link's index in the email. {@code recipient}: the recipient's index when the email went out as one message per
 * recipient ({@link dev.mailtrail.events.Recipients}), else null.
 */
public record TrackingToken(
        Kind kind, String activityId, String tenantId, Integer linkIndex, String url, Integer recipient) {

    public enum Kind {
        OPEN,
        CLICK,
        /** A one-click unsubscribe link (RFC 8058): no link, never a tracking hit. Appended: ordinals are on the wire. */
        UNSUBSCRIBE,
        /** The local part of a reply address ({@code reply+<token>@<reply domain>}): who a reply answers. */
        REPLY
    }

    public TrackingToken {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(activityId, "activityId");
        if (kind == Kind.CLICK && (url == null || linkIndex == null || linkIndex < 0)) {
            throw new IllegalArgumentException("a click token needs its url and a link index >= 0");
        }
        if (kind != Kind.CLICK && (url != null || linkIndex != null)) {
            throw new IllegalArgumentException("only a click token has a link");
        }
        if (recipient != null && (recipient < 0 || recipient >= dev.mailtrail.events.Recipients.MAX)) {
            throw new IllegalArgumentException("recipient index out of range");
        }
    }

    public TrackingToken(Kind kind, String activityId, String tenantId, Integer linkIndex, String url) {
        this(kind, activityId, tenantId, linkIndex, url, null);
    }

    public static TrackingToken open(String activityId, String tenantId) {
        return new TrackingToken(Kind.OPEN, activityId, tenantId, null, null);
    }

    public static TrackingToken reply(String activityId, String tenantId) {
        return new TrackingToken(Kind.REPLY, activityId, tenantId, null, null);
    }

    public static TrackingToken click(String activityId, String tenantId, int linkIndex, String url) {
        return new TrackingToken(Kind.CLICK, activityId, tenantId, linkIndex, url);
    }

    public static TrackingToken unsubscribe(String activityId, String tenantId) {
        return new TrackingToken(Kind.UNSUBSCRIBE, activityId, tenantId, null, null);
    }

    /** The same binding, for one recipient's message (null: the email's only message). */
    public TrackingToken forRecipient(Integer index) {
        return new TrackingToken(kind, activityId, tenantId, linkIndex, url, index);
    }
}
