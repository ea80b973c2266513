package dev.mailtrail.send.accept;

import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import dev.mailtrail.events.Topics;
import dev.mailtrail.send.accept.AcceptMetrics.Entry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#SEND_COMMANDS}: the same checks and the same acceptance as {@code POST /api/crm/emails}, one
 * command at a time, on the consumer's thread (offsets are committed after the batch). A command that can never be
 * accepted (invalid, or a conflict) goes to {@code crm.email.send-commands-dlt} with the reason and the partition
 * moves on; a failure to accept (database down) fails the batch, which the container retries.
 */
@Component
class SendCommandListener {

    private static final Logger log = LoggerFactory.getLogger(SendCommandListener.class);
    private static final Duration BOUND = Duration.ofMinutes(1);

    private final Acceptance acceptance;
    private final AcceptMetrics metrics;
    private final ConsumerRecordRecoverer deadLetters;
    private final SenderDomains senderDomains;

    SendCommandListener(Acceptance acceptance, AcceptMetrics metrics, ConsumerRecordRecoverer deadLetters,
            SenderDomains senderDomains) {
        this.acceptance = acceptance;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.senderDomains = senderDomains;
    }

    @KafkaListener(id = "send-commands", groupId = "mailtrail-send-commands", topics = Topics.SEND_COMMANDS, batch = "true")
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            CommandCheck.Checked checked = senderDomains.check(CommandCheck.check(record.value(), true));
            if (!checked.errors().isEmpty()) {
                metrics.invalid(Entry.KAFKA);
                deadLetter(record, "invalid SendEmailCommand: " + checked.errors().stream()
                        .map(e -> e.field() + " " + e.message()).collect(Collectors.joining("; ")));
                continue;
            }
            Acceptance.Result result = acceptance.accept(checked.command()).block(BOUND);
            metrics.count(Entry.KAFKA, result.outcome());
            if (result.outcome() == Acceptance.Outcome.CONFLICT) {
                deadLetter(record, "conflict: activity " + checked.command().activityId()
                        + " was accepted before with a different request");
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        log.warn("Dead-lettering the command at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                reason);
        deadLetters.accept(record, new RejectedCommandException(reason));
    }

    /** Why a command is never accepted: the dead letter's {@code kafka_dlt-exception-message}. */
    static final class RejectedCommandException extends Exception {
        RejectedCommandException(String reason) {
            super(reason, null, false, false);
        }
    }
}
