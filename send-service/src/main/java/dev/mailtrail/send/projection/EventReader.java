package dev.mailtrail.send.projection;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Ids;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.send.kafka.DeadLetters.Reason;
import java.time.Instant;
import tools.jackson.core.JacksonException;

/** A record's value as an {@link EmailEvent} the projection can apply, or the reason it is poison. */
final class EventReader {

    // the contract's range for a time from outside; a lag of centuries would not even fit the lag timer

    private EventReader() {}

    static EmailEvent read(byte[] value) throws PoisonRecordException {
        if (value == null || value.length == 0) {
            throw unreadable("empty record value");
        }
        EmailEvent event;
        try {
            event = WireJson.read(value, EmailEvent.class);
        } catch (RuntimeException e) {
            throw unreadable(describe(e));
        }
        if (event == null) {
            throw unreadable("record value is JSON null");
        }
        String reason = problem(event);
        if (reason != null) {
            throw new PoisonRecordException(Reason.INVALID, "invalid EmailEvent: " + reason);
        }
        return event;
    }

    private static String problem(EmailEvent e) {
        if (e.schemaVersion() < EmailEvent.OLDEST_READ_VERSION || e.schemaVersion() > EmailEvent.SCHEMA_VERSION) {
            return "unsupported schemaVersion " + e.schemaVersion();
        }
        if (e.activityKey() == null && e.providerMessageId() == null) {
            return "neither activityId with tenantId nor providerMessageId: the event belongs to no activity";
        }
        if (e.schemaVersion() >= 2 && e.activityId() != null && e.tenantId() == null) {
            return "activityId without tenantId: an activity id means nothing outside its tenant";
        }
        if (e.activityId() != null && !Ids.isValid(e.activityId())) {
            return "activityId is not " + Ids.RULE;
        }
        if (e.tenantId() != null && !Ids.isValid(e.tenantId())) {
            return "tenantId is not " + Ids.RULE;
        }
        if (outOfRange(e.occurredAt()) || outOfRange(e.receivedAt())) {
            return "occurredAt and receivedAt must be in the years 1970-9999";
        }
        return null;
    }

    private static boolean outOfRange(Instant at) {
        return at != null && !WireJson.inRange(at);
    }

    private static PoisonRecordException unreadable(String why) {
        return new PoisonRecordException(Reason.UNREADABLE, "unreadable EmailEvent: " + why);
    }

    /** The innermost cause, without the parser's location or Java class names. */
    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof NullPointerException) {
            return "missing " + root.getMessage();
        }
        return root instanceof JacksonException jackson ? jackson.getOriginalMessage() : root.getMessage();
    }

    /** Why a record cannot be applied, ever: it goes to the dead-letter topic with this message. */
    static final class PoisonRecordException extends Exception {

        private final Reason reason;

        PoisonRecordException(Reason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }

        Reason reason() {
            return reason;
        }
    }
}
