package dev.mailtrail.events;

/** Kafka topic names of the wire contract, defined once. */
public final class Topics {

    /** {@link SendEmailCommand}s from CRM services; key: activityId. */
    public static final String SEND_COMMANDS = "crm.email.send-commands";

    /** {@link EmailEvent}s from every source; key: {@link EmailEvent#partitionKey()}. */
    public static final String EVENTS = "crm.email.events";

    /** {@link ActivityState} after every change; compacted; key: activityId. */
    public static final String ACTIVITY_STATE = "crm.email.activity-state";

    /**
     * A tenant's suppression list changes; compacted; key {@code <tenantId>:<SHA-256 hex of the normalised address>};
     * value {@code {tenantId, email, reason, activityId, createdAt}}, a removal a tombstone (null value).
     */
    public static final String SUPPRESSIONS = "crm.email.suppressions";

    /** Verified webhooks of types we do not model, raw, kept for later reprocessing. */
    public static final String WEBHOOKS_UNRECOGNIZED = "crm.email.webhooks-unrecognized";

    /** spring-kafka's dead-letter suffix. */
    public static final String DLT_SUFFIX = "-dlt";

    public static final String EVENTS_DLT = EVENTS + DLT_SUFFIX;
    public static final String SEND_COMMANDS_DLT = SEND_COMMANDS + DLT_SUFFIX;

    private Topics() {}
}
