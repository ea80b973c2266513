package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import org.junit.jupiter.api.Test;

class TextCheckTests {

    private static String firstProblem(String json) {
        return TextCheck.firstProblem(WireJson.mapper().readTree(json), "");
    }

    @Test
    void cleanTextAndTheReplacementCharacterPass() {
        assertThat(
                        firstProblem(
                                "{\"subject\":\"Your \\ufffd proposal\",\"recipients\":[\"a@b.test\"],"
                                        + "\"tags\":{\"campaign\":\"drill\"},\"click\":{\"url\":\"https://acme.test/\"},\"occurredAt\":null}"))
                .isNull();
    }

    @Test
    void aControlCharacterOrALoneSurrogateAnywhereIsNamedWithItsPath() {
        assertThat(firstProblem("{\"client\":{\"userAgent\":\"Mozilla\\t5\"}}"))
                .isEqualTo("client.userAgent holds U+0009 at 7");
        assertThat(firstProblem("{\"recipients\":[\"ok@b.test\",\"x\\u0001@b.test\"]}"))
                .startsWith("recipients[] holds U+0001");
        assertThat(firstProblem("{\"click\":{\"url\":\"https://acme.test/\\udc00\"}}"))
                .startsWith("click.url holds U+DC00");
        assertThat(firstProblem("{\"client\":{\"reasons\":[\"a\\u001bb\"]}}"))
                .startsWith("client.reasons[] holds U+001B");
    }

    @Test
    void eachFieldKeepsItsOwnLimit() {
        assertThat(firstProblem("{\"subject\":\"" + "s".repeat(WireText.SUBJECT_MAX) + "\"}"))
                .isNull();
        assertThat(firstProblem("{\"subject\":\"" + "s".repeat(WireText.SUBJECT_MAX + 1) + "\"}"))
                .isEqualTo("subject is 999 chars, over 998");
        assertThat(firstProblem("{\"tags\":{\"campaign\":\"" + "v".repeat(257) + "\"}}"))
                .startsWith("tags.* is 257 chars");
        assertThat(firstProblem("{\"recipients\":[\"" + "a".repeat(321) + "\"]}"))
                .startsWith("recipients[] is 321 chars");
        assertThat(firstProblem("{\"client\":{\"userAgent\":\"" + "M".repeat(513) + "\"}}"))
                .startsWith("client.userAgent is 513");
        assertThat(firstProblem("{\"html\":\"" + "h".repeat(20_000) + "\"}"))
                .as("no limit of its own")
                .isNull();
    }

    @Test
    void aMissingValueIsNoProblem() {
        assertThat(TextCheck.problem("state subject", null, 1)).isNull();
    }
}
