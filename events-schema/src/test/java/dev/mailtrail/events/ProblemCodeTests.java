package dev.mailtrail.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProblemCodeTests {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "400, VALIDATION",
        "401, UNAUTHORIZED",
        "404, NOT_FOUND",
        "405, METHOD_NOT_ALLOWED",
        "406, NOT_ACCEPTABLE",
        "409, CONFLICT",
        "413, PAYLOAD_TOO_LARGE",
        "415, UNSUPPORTED_MEDIA_TYPE",
        "500, INTERNAL",
        "503, UNAVAILABLE",
        "416, VALIDATION",
        "414, VALIDATION",
        "502, INTERNAL",
        "200, INTERNAL"
    })
    void aStatusTheFrameworkAnsweredIsToldAsTheContractsProblem(int status, ProblemCode expected) {
        assertThat(ProblemCode.forStatus(status)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "METHOD_NOT_ALLOWED, method-not-allowed, 405",
        "NOT_ACCEPTABLE, not-acceptable, 406",
        "INTERNAL, internal, 500"
    })
    void everyCodeHasItsTypeUnderTheContractsBase(ProblemCode code, String name, int status) {
        assertThat(code.body("d"))
                .containsEntry("type", "https://mailtrail.dev/problems/" + name)
                .containsEntry("status", status)
                .containsEntry("detail", "d");
    }
}
