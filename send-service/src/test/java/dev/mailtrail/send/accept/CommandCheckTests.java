package dev.mailtrail.send.accept;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.send.suppression.Addresses;
import dev.mailtrail.send.web.ProblemException.FieldError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandCheckTests {

    static final String VALID = """
            {"activityId":"act-1","tenantId":"t-1","from":"Sales <sales@acme.test>","to":["b@example.com"],
             "subject":"Hi","text":"Hello"%s}""";

    @Test
    void aCompleteRequestIsValidOverHttpAndNeedsItsSchemaVersionOnKafka() {
        assertThat(check(VALID.formatted(""), false).errors()).isEmpty();
        assertThat(fields(VALID.formatted(""), true)).containsExactly("schemaVersion");
        assertThat(check(VALID.formatted(",\"schemaVersion\":1"), true).errors())
                .isEmpty();
    }

    @Test
    void addressesInResendsTwoFormsOnly() {
        for (String ok : List.of(
                "a@example.com", "Name <a@example.com>", "\"Doe, J\" <j@x.example>", "\"john doe\"@example.com")) {
            assertThat(Addresses.bare(ok)).as(ok).isPresent();
        }
        for (String bad : List.of(
                "",
                "nobody",
                "a@b",
                "a@",
                "@example.com",
                "a b@example.com",
                "x <a@example.com> y",
                "Name <a@example.com",
                "a@example.com, b@example.com")) {
            assertThat(Addresses.bare(bad)).as(bad).isEmpty();
        }
        assertThat(Addresses.bare(" Name <A@Example.com> ")).contains("A@Example.com");
    }

    @Test
    void eachBadFieldIsNamed() {
        String body = """
                {"activityId":"has space","tenantId":"%s","from":"x","to":["ok@example.com","bad"],
                 "bcc":["also bad"],"replyTo":"nope","subject":"","html":" ",
                 "tags":{"tenant_id":"t","recipient_index":"0","ok":"a b"}}""".formatted("t".repeat(129));

        assertThat(fields(body, false))
                .containsExactlyInAnyOrder(
                        "activityId",
                        "tenantId",
                        "from",
                        "to[1]",
                        "bcc[0]",
                        "replyTo",
                        "subject",
                        "html",
                        "tags.tenant_id",
                        "tags.recipient_index",
                        "tags.ok");
    }

    @Test
    void recipientCountsAreBounded() {
        String many = "[" + "\"a@example.com\",".repeat(50) + "\"a@example.com\"]";
        assertThat(fields(VALID.formatted(",\"cc\":" + many), false)).containsExactly("cc");
        assertThat(fields(VALID.formatted("").replace("[\"b@example.com\"]", "[]"), false))
                .containsExactly("to");
        assertThat(fields(VALID.formatted("").replace("[\"b@example.com\"]", many), false))
                .containsExactly("to");
    }

    @Test
    void unreadableBodiesNameWhatTheyCould() {
        assertThat(fields("", false)).containsExactly("body");
        assertThat(fields("null", false)).containsExactly("body");
        assertThat(fields("{\"to\":", false)).containsExactly("body");
        assertThat(fields("[]", false)).containsExactly("body");
        assertThat(fields("{\"to\":{}}", false)).containsExactly("to");
        assertThat(fields("{\"tags\":{\"a\":null}}", false))
                .singleElement()
                .asString()
                .startsWith("tags");
        assertThat(check("{\"to\":", false).errors().get(0).message())
                .startsWith("is not valid JSON: ")
                .doesNotContain("tools.jackson");
    }

    @Test
    void controlCharactersAndUnpairedSurrogatesAreRefusedInEveryTextFieldNamingIt() {
        String body = """
                {"activityId":"act-1","tenantId":"t-1","from":"Sales\\u0000 <sales@acme.test>",
                 "to":["b@example.com","Bob\\u0007 <b@example.com>"],"cc":["c@example.com\\u001f"],
                 "bcc":["\\ud800 <d@example.com>"],"replyTo":"Reply\\r <r@acme.test>",
                 "subject":"Hi\\u0000there","html":"<p>\\u0000</p>","text":"Hello\\udc00"}""";

        assertThat(fields(body, false))
                .containsExactlyInAnyOrder("from", "to[1]", "cc[0]", "bcc[0]", "replyTo", "subject", "html", "text");
        assertThat(message(body, "subject"))
                .isEqualTo("must not contain control characters or unpaired surrogates: U+0000 at index 2");
        assertThat(message(body, "html"))
                .isEqualTo(
                        "must not contain control characters other than tab, CR and LF or unpaired surrogates: U+0000 at index 3");
    }

    @Test
    void tabsAndLineBreaksPassInTheBodyOnlyAndPairedSurrogatesEverywhere() {
        String body = """
                {"activityId":"act-1","tenantId":"t-1","from":"Sales \\ud83d\\ude00 <sales@acme.test>",
                 "to":["b@example.com"],"subject":"Hi \\ud83d\\ude00","html":"<p>\\r\\n\\t</p>","text":"Hi,\\n\\tBob"}""";
        assertThat(check(body, false).errors()).isEmpty();

        assertThat(fields(body.replace("Hi \\ud83d", "Hi\\t\\ud83d"), false)).containsExactly("subject");
        assertThat(fields(body.replace("\"Hi ", "\"Hi\\nBcc: x@example.com "), false))
                .containsExactly("subject");
    }

    @Test
    void subjectsAndAddressesHaveTheirLimits() {
        String address = "a".repeat(320 - "@example.com".length()) + "@example.com";
        String longest = """
                {"activityId":"act-1","tenantId":"t-1","from":"%s","to":["%s"],"subject":"%s","text":"Hello"}""".formatted(address, address, "s".repeat(998));
        assertThat(check(longest, false).errors()).isEmpty();

        String tooLong = """
                {"activityId":"act-1","tenantId":"t-1","from":"a%s","to":["a%s"],"subject":"s%s","text":"Hello"}""".formatted(address, address, "s".repeat(998));
        assertThat(fields(tooLong, false)).containsExactlyInAnyOrder("from", "to[0]", "subject");
        assertThat(message(tooLong, "subject")).isEqualTo("must be at most 998 characters");
        assertThat(message(tooLong, "to[0]")).isEqualTo("must be at most 320 characters");
    }

    private static String message(String json, String field) {
        return check(json, false).errors().stream()
                .filter(e -> e.field().equals(field))
                .map(FieldError::message)
                .findFirst()
                .orElseThrow();
    }

    private static CommandCheck.Checked check(String json, boolean wire) {
        return CommandCheck.check(json.getBytes(StandardCharsets.UTF_8), wire);
    }

    private static List<String> fields(String json, boolean wire) {
        return check(json, wire).errors().stream().map(FieldError::field).toList();
    }
}
