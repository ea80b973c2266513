package dev.mailtrail.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

class EmailBatchTests {

    private static final String VALID = "{\"from\":\"a@b.test\",\"to\":\"c@d.test\",\"subject\":\"s\",\"text\":\"t\"}";
    private static final String NO_SUBJECT = "{\"from\":\"a@b.test\",\"to\":\"c@d.test\",\"text\":\"t\"}";

    private final JsonMapper mapper = JsonMapper.builder().build();

    private EmailBatch read(String json, EmailBatch.Mode mode) {
        return EmailBatch.read(mapper.readTree(json), mapper, mode);
    }

    @Test
    void permissiveKeepsTheValidAndListsTheInvalidByIndex() {
        EmailBatch batch = read(
                "[" + NO_SUBJECT + "," + VALID + "," + VALID.replace("}", ",\"scheduled_at\":\"tomorrow\"}") + "]",
                EmailBatch.Mode.PERMISSIVE);

        assertThat(batch.valid()).extracting(EmailBatch.Member::index).containsExactly(1);
        assertThat(batch.errors())
                .containsExactly(
                        new EmailBatch.Failure(0, "Missing `subject` field."),
                        new EmailBatch.Failure(2, "`scheduled_at` is not supported in batch emails."));
    }

    @Test
    void strictFailsWithTheFirstInvalidEmailsError() {
        assertThatThrownBy(() -> read("[" + VALID + "," + NO_SUBJECT + "]", EmailBatch.Mode.STRICT))
                .isInstanceOfSatisfying(
                        ResendApiException.class,
                        e -> assertThat(e.toBody().name()).isEqualTo("missing_required_field"));
        assertThat(read("[" + VALID + "," + VALID + "]", EmailBatch.Mode.STRICT).valid())
                .hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "[]", "\"x\""})
    void theBodyMustBeANonEmptyArray(String json) {
        assertValidationError(json);
    }

    @Test
    void atMostAHundredEmails() {
        String hundred = IntStream.range(0, 100).mapToObj(i -> VALID).collect(Collectors.joining(","));
        assertThat(read("[" + hundred + "]", EmailBatch.Mode.STRICT).valid()).hasSize(100);
        assertValidationError("[" + hundred + "," + VALID + "]");
    }

    @Test
    void modeHeader() {
        assertThat(EmailBatch.Mode.of(null)).isEqualTo(EmailBatch.Mode.STRICT);
        assertThat(EmailBatch.Mode.of("Permissive")).isEqualTo(EmailBatch.Mode.PERMISSIVE);
        assertThatThrownBy(() -> EmailBatch.Mode.of("lenient")).isInstanceOf(ResendApiException.class);
    }

    private void assertValidationError(String json) {
        for (EmailBatch.Mode mode : EmailBatch.Mode.values()) {
            assertThatThrownBy(() -> read(json, mode)).isInstanceOfSatisfying(ResendApiException.class, e -> {
                assertThat(e.toBody().statusCode()).isEqualTo(422);
                assertThat(e.toBody().name()).isEqualTo("validation_error");
            });
        }
    }
}
