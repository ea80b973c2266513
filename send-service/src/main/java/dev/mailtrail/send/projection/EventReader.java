package dev.mailtrail.send.projection;

import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.Ids;
import dev.mailtrail.events.WireJson;
import tools.jackson.core.JacksonException;

/** A record's value as an {@link EmailEvent} the projection can apply, or the reason it is poison. */
final class EventReader {

    private EventReader() {
    }

    static EmailEvent read(byte[] value) throws PoisonRecordException {
        if (value == null || value.length == 0) {
            throw new PoisonRecordException(null, "empty record value");
        }
        EmailEvent event;
        try {
            event = WireJson.read(value, EmailEvent.class);
        }
        catch (RuntimeException e) {
            throw new PoisonRecordException(null, "unreadable EmailEvent: " + describe(e));
        }
        if (event == null) {
            throw new PoisonRecordException(null, "record value is JSON null");
        }
        String reason = problem(event);
        if (reason != null) {
            throw new PoisonRecordException(event.type(), reason);
        }
        return event;
    }

    private static String problem(EmailEvent e) {
        if (e.schemaVersion() != EmailEvent.SCHEMA_VERSION) {
            return "unsupported schemaVersion " + e.schemaVersion();
        }
        if (e.activityId() == null && e.providerMessageId() == null) {
            return "neither activityId nor providerMessageId: the event belongs to no activity";
        }
        if (e.activityId() != null && !Ids.isValid(e.activityId())) {
            return "activityId is not " + Ids.RULE;
        }
        if (e.tenantId() != null && !Ids.isValid(e.tenantId())) {
            return "tenantId is not " + Ids.RULE;
        }
        return null;
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

        private final EmailEventType type;

        PoisonRecordException(EmailEventType type, String reason) {
            super(reason, null, false, false);
            this.type = type;
        }

        /** The event's type when the record could be read that far, else null. */
        EmailEventType type() {
            return type;
        }
    }
}
