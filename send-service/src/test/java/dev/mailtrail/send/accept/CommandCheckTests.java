package dev.mailtrail.send.accept;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.mailtrail.send.web.ProblemException.FieldError;
import org.junit.jupiter.api.Test;

class CommandCheckTests {

    static final String VALID = """
            {"activityId":"act-1","tenantId":"t-1","from":"Sales <sales@acme.test>","to":["b@example.com"],
             "subject":"Hi","text":"Hello"%s}""";

    @Test
    void aCompleteRequestIsValidOverHttpAndNeedsItsSchemaVersionOnKafka() {
        assertThat(check(VALID.formatted(""), false).errors()).isEmpty();
        assertThat(fields(VALID.formatted(""), true)).containsExactly("schemaVersion");
        assertThat(check(VALID.formatted(",\"schemaVersion\":1"), true).errors()).isEmpty();
    }

    @Test
    void addressesInResendsTwoFormsOnly() {
        for (String ok : List.of("a@example.com", "Name <a@example.com>", "\"Doe, J\" <j@x.example>",
                "\"john doe\"@example.com")) {
            assertThat(Addresses.bare(ok)).as(ok).isPresent();
        }
        for (String bad : List.of("", "nobody", "a@b", "a@", "@example.com", "a b@example.com", "x <a@example.com> y",
                "Name <a@example.com", "a@example.com, b@example.com")) {
            assertThat(Addresses.bare(bad)).as(bad).isEmpty();
        }
        assertThat(Addresses.bare(" Name <A@Example.com> ")).contains("A@Example.com");
    }

    @Test
    void eachBadFieldIsNamed() {
        String body = """
                {"activityId":"has space","tenantId":"%s","from":"x","to":["ok@example.com","bad"],
                 "bcc":["also bad"],"replyTo":"nope","subject":"","html":" ",
                 "tags":{"tenant_id":"t","ok":"a b"}}""".formatted("t".repeat(129));

        assertThat(fields(body, false)).containsExactlyInAnyOrder("activityId", "tenantId", "from", "to[1]", "bcc[0]",
                "replyTo", "subject", "html", "tags.tenant_id", "tags.ok");
    }

    @Test
    void recipientCountsAreBounded() {
        String many = "[" + "\"a@example.com\",".repeat(50) + "\"a@example.com\"]";
        assertThat(fields(VALID.formatted(",\"cc\":" + many), false)).containsExactly("cc");
        assertThat(fields(VALID.formatted("").replace("[\"b@example.com\"]", "[]"), false)).containsExactly("to");
        assertThat(fields(VALID.formatted("").replace("[\"b@example.com\"]", many), false)).containsExactly("to");
    }

    @Test
    void unreadableBodiesNameWhatTheyCould() {
        assertThat(fields("", false)).containsExactly("body");
        assertThat(fields("null", false)).containsExactly("body");
        assertThat(fields("{\"to\":", false)).containsExactly("body");
        assertThat(fields("[]", false)).containsExactly("body");
        assertThat(fields("{\"to\":{}}", false)).containsExactly("to");
        assertThat(fields("{\"tags\":{\"a\":null}}", false)).singleElement().asString().startsWith("tags");
        assertThat(check("{\"to\":", false).errors().get(0).message()).startsWith("is not valid JSON: ")
                .doesNotContain("tools.jackson");
    }

    private static CommandCheck.Checked check(String json, boolean wire) {
        return CommandCheck.check(json.getBytes(StandardCharsets.UTF_8), wire);
    }

    private static List<String> fields(String json, boolean wire) {
        return check(json, wire).errors().stream().map(FieldError::field).toList();
    }
}
