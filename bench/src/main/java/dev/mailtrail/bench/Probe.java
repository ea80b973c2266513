package dev.mailtrail.bench;

import dev.mailtrail.bench.HttpLoad.Request;
import dev.mailtrail.events.Topics;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * One record the poison drill sends, healthy or poison, and what must become of it.
 *
 * @param channel  how it travels, and where it ends up when applied
 * @param kind     what is odd about it ("NUL in subject"), or "healthy"
 * @param expect   its fate
 * @param id       where it is looked up once applied: the eventId (webhooks, events), the activityId (send
 *                 requests, tracking hits); a dead letter is found by its record's key
 * @param field    the field a refusal or a dead letter's reason must name; null when none is to be named
 * @param statuses the answers allowed over HTTP (empty for Kafka records); an applied probe is applied when the
 *                 answer was 2xx or 3xx
 * @param request  the HTTP request; null for a Kafka record
 * @param record   the Kafka record; null for an HTTP request
 * @param receivedTime the stored occurredAt must be the time received (the provider's was out of range)
 */
record Probe(
        Channel channel,
        String kind,
        Expect expect,
        String id,
        String field,
        List<Integer> statuses,
        Request request,
        ProducerRecord<String, byte[]> record,
        boolean receivedTime) {

    static final String HEALTHY = "healthy";

    /** How a probe travels. */
    enum Channel {
        SEND_HTTP("send over HTTP", null),
        SEND_KAFKA("send on Kafka", Topics.SEND_COMMANDS_DLT),
        WEBHOOK("signed webhook", null),
        EVENT_KAFKA("rogue EmailEvent", Topics.EVENTS_DLT),
        TRACKING("tracking hit", null);

        final String label;
        /** Where its poison is dead-lettered; null for the channels that answer over HTTP. */
        final String deadLetterTopic;

        Channel(String label, String deadLetterTopic) {
            this.label = label;
            this.deadLetterTopic = deadLetterTopic;
        }

        boolean http() {
            return deadLetterTopic == null;
        }
    }

    /** What must become of a probe. */
    enum Expect {
        /** healthy: accepted and applied */
        APPLIED,
        /** poison from a provider or a mail client: accepted, and applied with its text made safe */
        CLEANED,
        /** poison from a caller: 4xx naming the field, nothing stored */
        REFUSED,
        /** poison on Kafka: in the topic's -dlt with the reason, nothing stored */
        DEAD_LETTERED,
        /** not ours to record (an invalid token): the documented answer, nothing else */
        ANSWERED
    }

    static Probe http(
            Channel channel,
            String kind,
            Expect expect,
            String id,
            String field,
            List<Integer> statuses,
            Request request) {
        return new Probe(channel, kind, expect, id, field, statuses, request, null, false);
    }

    static Probe kafka(
            Channel channel,
            String kind,
            Expect expect,
            String id,
            String field,
            ProducerRecord<String, byte[]> record) {
        return new Probe(channel, kind, expect, id, field, List.of(), null, record, false);
    }

    Probe atReceivedTime() {
        return new Probe(channel, kind, expect, id, field, statuses, request, record, true);
    }

    boolean healthy() {
        return expect == Expect.APPLIED;
    }

    /** Must be found stored (applied) once the pipeline settled. */
    boolean mustBeStored() {
        return expect == Expect.APPLIED || expect == Expect.CLEANED;
    }
}
