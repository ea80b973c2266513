package dev.mailtrail.send.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.send.kafka.DeadLetters.Reason;
import dev.mailtrail.send.kafka.Faults.DataFault;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcRollbackException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.time.DateTimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.r2dbc.UncategorizedR2dbcException;
import reactor.core.Exceptions;
import tools.jackson.core.exc.StreamReadException;

class FaultsTests {

    @ParameterizedTest
    @ValueSource(strings = {"22021", "22P05", "22001", "22008", "23502", "23505", "23514", "54000", "54001"})
    void postgresRefusingTheDataIsADataFaultWithItsSqlState(String sqlState) {
        Throwable refused = new UncategorizedR2dbcException(
                "INSERT",
                "INSERT INTO activity_state ...",
                new R2dbcNonTransientResourceException("refused", sqlState));

        assertThat(Faults.dataFault(Exceptions.propagate(refused)))
                .hasValueSatisfying(fault -> assertThat(fault)
                        .isEqualTo(new DataFault(
                                Reason.DATA_FAULT, "PostgreSQL refuses it: SQLSTATE " + sqlState + " refused")));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "08006",
                "08001",
                "40001",
                "40P01",
                "53300",
                "53100",
                "57P01",
                "57014",
                "58030",
                // not named: our own statement (42), an injected or unforeseen failure: retried, never dead-lettered
                "42P01",
                "42703",
                "P0001",
                "XX000",
                "21000"
            })
    void postgresFailingForItsOwnReasonsIsRetried(String sqlState) {
        Throwable failed = new UncategorizedR2dbcException(
                "INSERT", "INSERT ...", new R2dbcNonTransientResourceException("failed", sqlState));

        assertThat(Faults.dataFault(failed)).isEmpty();
    }

    @Test
    void transientExceptionsAndLostConnectionsAreRetriedWhateverTheirCause() {
        assertThat(Faults.dataFault(new R2dbcTransientResourceException("pool exhausted")))
                .isEmpty();
        // a transient wrapper decides before a data-looking cause
        assertThat(Faults.dataFault(new R2dbcRollbackException("deadlock", "40P01", new NullPointerException())))
                .isEmpty();
        assertThat(Faults.dataFault(new R2dbcNonTransientResourceException(
                        "Connection closed", new UncheckedIOException(new ConnectException("Connection refused")))))
                .isEmpty();
        assertThat(Faults.dataFault(new IllegalStateException(
                        "Timeout on blocking read for 60000000000 NANOSECONDS", new TimeoutException())))
                .isEmpty();
        assertThat(Faults.dataFault(new CompletionException(new KafkaProducerException(
                        new ProducerRecord<>("t", "k"), "Failed to send", new NotLeaderOrFollowerException()))))
                .isEmpty();
        assertThat(Faults.dataFault(new org.apache.kafka.common.errors.TimeoutException("Expiring 1 record(s)")))
                .isEmpty();
    }

    @Test
    void kafkaRefusingARecordForGoodIsTooLargeOrADataFault() {
        assertThat(Faults.dataFault(new CompletionException(new KafkaProducerException(
                        new ProducerRecord<>("t", "k"),
                        "Failed to send",
                        new RecordTooLargeException("The message is 1100000 bytes when serialized")))))
                .hasValueSatisfying(fault -> {
                    assertThat(fault.reason()).isEqualTo(Reason.TOO_LARGE);
                    assertThat(fault.message())
                            .isEqualTo(
                                    "too_large: Kafka refuses its size: The message is 1100000 bytes when serialized");
                });
        assertThat(Faults.dataFault(new InvalidTopicException("Invalid topic")).map(DataFault::reason))
                .contains(Reason.DATA_FAULT);
    }

    @Test
    void valuesOurCodeCannotHandleAreDataFaultsWithoutTheirMessages() {
        assertThat(Faults.dataFault(new NullPointerException("Cannot invoke \"String.length()\"")))
                .map(DataFault::message)
                .contains("data_fault: a value it needs is missing");
        assertThat(Faults.dataFault(new DateTimeException("Instant exceeds minimum or maximum instant")))
                .map(DataFault::message)
                .contains("data_fault: a number or time in it is out of range");
        assertThat(Faults.dataFault(new RuntimeException(new ArithmeticException("long overflow"))))
                .map(DataFault::reason)
                .contains(Reason.DATA_FAULT);
        assertThat(Faults.dataFault(new IllegalArgumentException("Invalid URL ada@example.com")))
                .map(DataFault::message)
                .contains("data_fault: a value in it is not accepted");
        assertThat(Faults.dataFault(new StreamReadException(null, "Unexpected character")))
                .map(DataFault::message)
                .contains("data_fault: it cannot be serialized");
    }

    @Test
    void theDetailKeepsTheSqlStateButNotTheValuesPostgresQuotes() {
        Throwable refused = new DataIntegrityViolationException(
                "INSERT",
                new R2dbcDataIntegrityViolationException(
                        "invalid input syntax for type uuid: \"ada@example.com\" near 'bob@example.com'", "22P02"));

        assertThat(Faults.dataFault(refused))
                .map(DataFault::detail)
                .hasValueSatisfying(detail -> assertThat(detail)
                        .isEqualTo(
                                "PostgreSQL refuses it: SQLSTATE 22P02 invalid input syntax for type uuid: \"…\" near \"…\"")
                        .doesNotContain("example.com"));
        assertThat(Faults.dataFault(new R2dbcNonTransientResourceException("x".repeat(1000), "22001")))
                .map(DataFault::detail)
                .hasValueSatisfying(detail -> assertThat(detail).hasSizeLessThan(310));
    }

    @Test
    void aCauseChainThatLoopsEnds() {
        RuntimeException outer = new RuntimeException("outer");
        RuntimeException inner = new RuntimeException("inner", outer);
        outer.initCause(inner);

        assertThat(Faults.dataFault(outer)).isEmpty();
    }
}
