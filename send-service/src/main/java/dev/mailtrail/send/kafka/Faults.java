package dev.mailtrail.send.kafka;

import dev.mailtrail.send.kafka.DeadLetters.Reason;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.R2dbcTransientException;
import java.time.DateTimeException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import tools.jackson.core.JacksonException;

/**
 * Whether a failure to handle a record is a data fault, which no retry can change (the record goes to its dead-letter
 * topic and the partition moves on), or worth retrying for ever (nothing acknowledged is lost). Every consumer and the
 * outbox relay ask this one class.
 * <p>
 * Data faults: PostgreSQL refusing a value (SQLSTATE class 22, data exception: NUL in text, an unpaired surrogate
 * in jsonb, a time out of range), a constraint (class 23: every dedupe here is an {@code ON CONFLICT} clause, so a
 * 23xxx that escapes is not one) or a limit (class 54); Kafka refusing a record for its size, topic or shape; JSON
 * that cannot be written; and the JDK's refusals of a value our code was handed (null where one is needed, a number or
 * time out of range, an illegal argument), which the same record raises every time.
 * <p>
 * Retried: connection refused or closed, timeouts, R2DBC's transient exceptions, SQLSTATE classes 08
 * (connection), 40 (rollback: serialization failure, deadlock), 53 (resources), 57 (operator intervention), 58
 * (system), Kafka's retriable exceptions, the projection's version check losing to another consumer
 * ({@code ConcurrentStateChangeException}), and anything not named here: dead-lettering healthy records for a fault
 * of ours (a wrong statement, class 42) or an outage nobody foresaw would empty a topic into its dead-letter topic,
 * while a partition that stops is loud (consumer lag alert) and resumes without loss once fixed.
 */
public final class Faults {

    /** A data fault: how to count it and what to tell (no values from the record: they may be personal). */
    public record DataFault(Reason reason, String detail) {

        /** The dead letter's header: the reason's tag, then the detail. */
        public String message() {
            return reason.tag() + ": " + detail;
        }
    }

    private static final Set<String> DATA_CLASSES = Set.of("22", "23", "54");
    private static final int DETAIL_MAX = 300;
    // PostgreSQL quotes the values it refuses ("invalid input syntax for type uuid: \"...\""); names go too
    private static final Pattern QUOTED = Pattern.compile("\"[^\"]*\"|'[^']*'");

    private Faults() {}

    /** The data fault behind {@code failure} (the first of its causes either way decides), else empty: retry. */
    public static Optional<DataFault> dataFault(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof R2dbcTransientException || t instanceof RetriableException) {
                return Optional.empty();
            }
            if (t instanceof R2dbcException r2dbc
                    && r2dbc.getSqlState() != null
                    && r2dbc.getSqlState().length() == 5) {
                return DATA_CLASSES.contains(r2dbc.getSqlState().substring(0, 2))
                        ? Optional.of(new DataFault(Reason.DATA_FAULT, postgres(r2dbc)))
                        : Optional.empty();
            }
            Optional<DataFault> fault = refusal(t);
            if (fault.isPresent()) {
                return fault;
            }
        }
        return Optional.empty();
    }

    private static Optional<DataFault> refusal(Throwable t) {
        String what;
        Reason reason = Reason.DATA_FAULT;
        if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
            reason = Reason.TOO_LARGE;
            what = "Kafka refuses its size: " + t.getMessage();
        } else if (t instanceof InvalidTopicException || t instanceof InvalidRecordException) {
            what = "Kafka refuses it: " + t.getMessage();
        } else if (t instanceof SerializationException || t instanceof JacksonException) {
            what = "it cannot be serialized";
        } else if (t instanceof NullPointerException) {
            what = "a value it needs is missing";
        } else if (t instanceof ArithmeticException || t instanceof DateTimeException) {
            what = "a number or time in it is out of range";
        } else if (t instanceof IllegalArgumentException) {
            what = "a value in it is not accepted";
        } else {
            return Optional.empty();
        }
        return Optional.of(new DataFault(reason, cap(what)));
    }

    private static String postgres(R2dbcException e) {
        String message =
                e.getMessage() == null ? "" : QUOTED.matcher(e.getMessage()).replaceAll("\"…\"");
        return cap("PostgreSQL refuses it: SQLSTATE " + e.getSqlState() + (message.isEmpty() ? "" : " " + message));
    }

    private static String cap(String text) {
        return text.length() <= DETAIL_MAX ? text : text.substring(0, DETAIL_MAX) + "…";
    }
}
