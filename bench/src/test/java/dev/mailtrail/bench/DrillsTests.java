package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.bench.HttpLoad.Answer;
import dev.mailtrail.events.ProblemCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The drills' own judgement: what a bad input's answer must be, how long a redelivery waits. */
class DrillsTests {

    private static Answer answer(int status, String contentType, String body, String retryAfter) {
        return new Answer(status, contentType, retryAfter, body.getBytes(StandardCharsets.UTF_8), 1, null);
    }

    @Test
    void aRejectMustCarryTheDocumentedStatusAndProblemType() {
        var kind = new BadInputDrill.Volley("stale", 401, ProblemCode.INVALID_SIGNATURE, i -> null);
        String problem = "{\"type\":\"https://mailtrail.dev/problems/invalid-signature\",\"status\":401}";
        assertThat(BadInputDrill.judge(kind, answer(401, "application/problem+json", problem, null)))
                .isNull();
        assertThat(BadInputDrill.judge(kind, answer(400, "application/problem+json", problem, null)))
                .contains("expected 401");
        assertThat(BadInputDrill.judge(kind, answer(401, "application/json", problem, null)))
                .contains("problem+json");
        assertThat(BadInputDrill.judge(
                        kind,
                        answer(
                                401,
                                "application/problem+json",
                                "{\"type\":\"https://mailtrail.dev/problems/malformed-payload\"}",
                                null)))
                .contains("problem type");
    }

    @Test
    void anAcceptedUnknownTypeNeedsOnlyItsStatus() {
        var kind = new BadInputDrill.Volley("unknown", 202, null, i -> null);
        assertThat(BadInputDrill.judge(kind, answer(202, "application/json", "{}", null)))
                .isNull();
        assertThat(BadInputDrill.judge(kind, answer(-1, null, "", null))).contains("no_answer");
    }

    @Test
    void redeliveryWaitsAsToldWithinBounds() {
        assertThat(Redelivery.retryAfter(answer(503, null, "", "5"))).isEqualTo(Duration.ofSeconds(5));
        assertThat(Redelivery.retryAfter(answer(503, null, "", "3600"))).isEqualTo(Duration.ofSeconds(5));
        assertThat(Redelivery.retryAfter(answer(503, null, "", null))).isEqualTo(Duration.ofSeconds(1));
        assertThat(Redelivery.retryAfter(answer(-1, null, "", "soon"))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void bothHelpTextsNameEveryDrillInTheOrderTheyRun() throws IOException {
        String only = "--only " + String.join(",", Drills.ALL);
        assertThat(Drills.ALL).doesNotHaveDuplicates().endsWith(PoisonDrill.NAME);
        assertThat(Bench.usage()).contains("drill [" + only + "]");
        // surefire runs in the module's folder; ./mailtrail is at the repository root
        assertThat(Files.readString(Path.of("..", "mailtrail"))).contains("drill [" + only + "]");
    }
}
