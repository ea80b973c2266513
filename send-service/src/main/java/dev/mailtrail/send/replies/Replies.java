package dev.mailtrail.send.replies;

import dev.mailtrail.events.ActivityKey;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.EmailEventType;
import dev.mailtrail.events.EventSource;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.send.kafka.ListenerErrorHandlers;
import dev.mailtrail.send.outbox.Outbox;
import dev.mailtrail.send.projection.MessageThreads;
import dev.mailtrail.send.resend.ResendClient;
import dev.mailtrail.send.resend.ResendClient.ApiAnswer;
import dev.mailtrail.send.tracking.TrackingProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.http.HttpMethod;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * The reply matcher: reads the {@code inbound_received} events of {@link Topics#EVENTS} under a group of its own
 * (so a Resend outage delays replies, never the projection), fetches the inbound email's headers and the start of its
 * text from Resend's Receiving API, matches it to an activity ({@link ReplyMatcher}), classifies it
 * ({@link ReplyClassifier}; a reply naming no Message-ID we kept may be recognised by asking Resend about recent
 * emails, {@link MessageIdLookup}) and records the fact — {@code replied} or {@code auto_replied} of that activity — through
 * the outbox onto the same topic. The fact's id is derived from the inbound email's id, so a redelivered inbound
 * event writes the same fact again and the projection drops the copy. Counted by {@code mailtrail.replies{outcome}}.
 * An unanswered or 5xx/429 fetch throws: the container keeps the records before it and retries from it, backing off
 * to 10 s, for ever; a 404 (or
 * an answer no retry can fix, or an id that is not Resend's) is given up and counted {@code fetch_failed}.
 */
@Component
class Replies {

    static final String METER = "mailtrail.replies";
    private static final byte[] INBOUND =
            ("\"" + EmailEventType.INBOUND_RECEIVED.wire() + "\"").getBytes(StandardCharsets.UTF_8);
    private static final Duration BOUND = Duration.ofMinutes(1);

    enum Outcome {
        REPLIED,
        AUTO_REPLIED,
        UNMATCHED,
        FETCH_FAILED
    }

    private final ResendClient resend;
    private final ReplyMatcher matcher;
    private final MessageIdLookup lookup;
    private final Outbox outbox;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);

    Replies(
            ResendClient resend,
            MessageThreads threads,
            MessageIdLookup lookup,
            TrackingProperties tracking,
            Outbox outbox,
            MeterRegistry registry) {
        this.resend = resend;
        this.matcher = new ReplyMatcher(new TrackingTokenCodec(TrackingKeys.parse(tracking.keys())), threads);
        this.lookup = lookup;
        this.outbox = outbox;
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(
                    outcome,
                    Counter.builder(METER)
                            .description("Inbound emails by what the reply matcher made of them")
                            .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    // a batch listener: this group reads every event of the topic to find the few inbound ones, and a record
    // listener's per-record observation (a span and a timer each) made that a seventh of the send-service's CPU in
    // the projection bench; fetches wait for 64 KB or half a second, replies are not that urgent
    @KafkaListener(
            id = "replies",
            groupId = "mailtrail-replies",
            batch = "true",
            topics = Topics.EVENTS,
            containerPostProcessor = ListenerErrorHandlers.REPLIES,
            properties = {"fetch.min.bytes=65536", "fetch.max.wait.ms=500"})
    void on(List<ConsumerRecord<String, byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            EmailEvent event = inbound(records.get(i).value());
            if (event == null) {
                continue;
            }
            try {
                handle(event);
            } catch (RuntimeException e) {
                // the inbound emails before this one are done: commit them, retry from this one
                throw new BatchListenerFailedException("Could not handle an inbound email; retrying", e, i);
            }
        }
    }

    /** The inbound event a record holds, or null: anything else (and anything unreadable) is the projection's. */
    static EmailEvent inbound(byte[] value) {
        // most records are outbound facts: look for the type's bytes before paying for a parse
        if (value == null || indexOf(value, INBOUND) < 0) {
            return null;
        }
        try {
            EmailEvent event = WireJson.read(value, EmailEvent.class);
            return event != null && event.type() == EmailEventType.INBOUND_RECEIVED && event.providerMessageId() != null
                    ? event
                    : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    void handle(EmailEvent inbound) {
        ApiAnswer fetched = ResendClient.isResendId(inbound.providerMessageId())
                ? resend.call(HttpMethod.GET, "/emails/receiving/" + inbound.providerMessageId())
                : null;
        if (fetched != null && fetched.worthRetrying()) {
            throw new IllegalStateException("Receiving API unavailable (HTTP " + fetched.status() + "); retried");
        }
        InboundEmail email = fetched != null && fetched.ok() ? readOrNull(fetched.body()) : null;
        if (email == null) {
            outcomes.get(Outcome.FETCH_FAILED).increment();
            return;
        }
        List<String> recipients = new ArrayList<>(inbound.recipients());
        recipients.addAll(email.to());
        ActivityKey key = matcher.match(recipients, email).block(BOUND);
        if (key == null) {
            key = lookup.find(ReplyMatcher.threadIds(email));
        }
        if (key == null) {
            outcomes.get(Outcome.UNMATCHED).increment();
            return;
        }
        ReplyClassifier.Verdict verdict =
                ReplyClassifier.classify(email.headers(), email.from(), email.subject(), email.text());
        EmailEvent fact = EmailEvent.builder()
                .eventId("reply:" + inbound.providerMessageId())
                .type(verdict.automatic() ? EmailEventType.AUTO_REPLIED : EmailEventType.REPLIED)
                .occurredAt(inbound.occurredAt())
                .receivedAt(inbound.receivedAt())
                .source(EventSource.SEND_SERVICE)
                .activityId(key.activityId())
                .tenantId(key.tenantId())
                .subject(email.subject())
                .reply(new EmailEvent.Reply(verdict.kind(), inbound.providerMessageId()))
                .build();
        outbox.add(List.of(new Outbox.Message(Topics.EVENTS, key.value(), fact, false)))
                .block(BOUND);
        outcomes.get(verdict.automatic() ? Outcome.AUTO_REPLIED : Outcome.REPLIED)
                .increment();
    }

    private static InboundEmail readOrNull(String body) {
        try {
            return body == null ? null : InboundEmail.read(body);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
