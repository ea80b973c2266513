package dev.mailtrail.send.accept;

import dev.mailtrail.events.Topics;
import dev.mailtrail.send.accept.AcceptMetrics.Entry;
import dev.mailtrail.send.kafka.DeadLetters;
import dev.mailtrail.send.kafka.DeadLetters.Reason;
import dev.mailtrail.send.kafka.Faults;
import dev.mailtrail.send.kafka.ListenerErrorHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.stereotype.Component;

/**
 * Consumes {@link Topics#SEND_COMMANDS}: the same checks and the same acceptance as {@code POST /api/crm/emails}, one
 * command at a time, on the consumer's thread (offsets are committed after the batch). A command that can never be
 * accepted (invalid, a conflict, or data PostgreSQL refuses) goes to {@code crm.email.send-commands-dlt} with the
 * reason and the partition moves on; a failure to accept for a reason of ours (database down) fails the batch at that
 * command, which the container retries for ever ({@link ListenerErrorHandlers#SEND_COMMANDS}).
 */
@Component
class SendCommandListener {

    private static final Duration BOUND = Duration.ofMinutes(1);

    private final Acceptance acceptance;
    private final AcceptMetrics metrics;
    private final DeadLetters deadLetters;
    private final SenderDomains senderDomains;

    SendCommandListener(
            Acceptance acceptance, AcceptMetrics metrics, DeadLetters deadLetters, SenderDomains senderDomains) {
        this.acceptance = acceptance;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.senderDomains = senderDomains;
    }

    @KafkaListener(
            id = "send-commands",
            groupId = "mailtrail-send-commands",
            topics = Topics.SEND_COMMANDS,
            batch = "true",
            containerPostProcessor = ListenerErrorHandlers.SEND_COMMANDS)
    void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            CommandCheck.Checked checked = senderDomains.check(CommandCheck.check(record.value(), true));
            if (!checked.errors().isEmpty()) {
                metrics.invalid(Entry.KAFKA);
                deadLetters.send(
                        record,
                        Reason.INVALID,
                        "invalid SendEmailCommand: "
                                + checked.errors().stream()
                                        .map(e -> e.field() + " " + e.message())
                                        .collect(Collectors.joining("; ")));
                continue;
            }
            Optional<Acceptance.Result> result = accept(checked, records, i);
            if (result.isEmpty()) {
                continue;
            }
            metrics.count(Entry.KAFKA, result.get().outcome());
            if (result.get().outcome() == Acceptance.Outcome.CONFLICT) {
                deadLetters.send(
                        record,
                        Reason.CONFLICT,
                        "conflict: activity " + checked.command().activityId()
                                + " was accepted before with a different request");
            }
        }
    }

    /** The acceptance's result, or empty when the command was dead-lettered for its data. */
    private Optional<Acceptance.Result> accept(
            CommandCheck.Checked checked, List<ConsumerRecord<String, byte[]>> records, int index) {
        try {
            return Optional.of(acceptance.accept(checked.command()).block(BOUND));
        } catch (RuntimeException e) {
            Faults.DataFault fault = Faults.dataFault(e)
                    .orElseThrow(
                            () -> new BatchListenerFailedException("Could not accept a command; retrying", e, index));
            metrics.invalid(Entry.KAFKA);
            deadLetters.send(records.get(index), fault.reason(), fault.message());
            return Optional.empty();
        }
    }
}
