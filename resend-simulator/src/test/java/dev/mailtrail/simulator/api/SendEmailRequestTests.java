package dev.mailtrail.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

class SendEmailRequestTests {

    private final JsonMapper mapper = JsonMapper.builder().build();

    private SendEmailRequest parse(String json) {
        return mapper.readValue(json, SendEmailRequest.class);
    }

    @Test
    void addressFieldsTakeAStringOrAnArray() {
        SendEmailRequest request = parse("""
                {"from":"a@b.test","to":"x@y.test","cc":["c1@y.test","c2@y.test"],"reply_to":"r@y.test",
                 "subject":"s","html":"<p>h</p>","headers":{"X-Entity-Ref-ID":"1"},
                 "tags":[{"name":"activity_id","value":"act_1"}],"scheduled_at":"in 1 min","attachments":[]}""");

        assertThat(request.to()).containsExactly("x@y.test");
        assertThat(request.cc()).containsExactly("c1@y.test", "c2@y.test");
        assertThat(request.replyTo()).containsExactly("r@y.test");
        assertThat(request.headers()).containsEntry("X-Entity-Ref-ID", "1");
        assertThat(request.tags()).containsExactly(new SendEmailRequest.Tag("activity_id", "act_1"));
        assertThat(request.scheduledAt()).isEqualTo("in 1 min");
        assertThatNoException().isThrownBy(request::validate);
    }

    @Test
    void headersAreFieldNamesWithOneLineValues() {
        String email = "{\"from\":\"a@b.test\",\"to\":\"x@y.test\",\"subject\":\"s\",\"text\":\"t\",\"headers\":%s}";
        SendEmailRequest unsubscribe = parse(email.formatted("""
                {"List-Unsubscribe":"<https://t.acme.test/u/abc>","List-Unsubscribe-Post":"List-Unsubscribe=One-Click"}"""));

        assertThatNoException().isThrownBy(unsubscribe::validate);
        assertThat(unsubscribe.headers())
                .containsEntry("List-Unsubscribe", "<https://t.acme.test/u/abc>")
                .containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        for (String bad : new String[] {
            "{\"X-Bad Name\":\"v\"}",
            "{\"X-Bad:Name\":\"v\"}",
            "{\"\":\"v\"}",
            "{\"X-Injected\":\"v\\r\\nBcc: victim@example.com\"}",
            "{\"X-Null\":null}"
        }) {
            assertThatThrownBy(() -> parse(email.formatted(bad)).validate())
                    .as(bad)
                    .isInstanceOfSatisfying(ResendApiException.class, e -> {
                        assertThat(e.toBody().statusCode()).isEqualTo(422);
                        assertThat(e.toBody().name()).isEqualTo("validation_error");
                        assertThat(e.getMessage()).contains("`headers`");
                    });
        }
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"to\":\"x@y.test\",\"subject\":\"s\"}                      | from",
                "{\"from\":\"a@b.test\",\"subject\":\"s\"}                    | to",
                "{\"from\":\"a@b.test\",\"to\":[],\"subject\":\"s\"}          | to",
                "{\"from\":\"a@b.test\",\"to\":\"x@y.test\"}                  | subject",
                "{\"from\":\"a@b.test\",\"to\":\"x@y.test\",\"subject\":\" \"} | subject"
            })
    void missingRequiredFields(String json, String field) {
        assertThatThrownBy(() -> parse(json).validate()).isInstanceOfSatisfying(ResendApiException.class, e -> {
            assertThat(e.toBody().statusCode()).isEqualTo(422);
            assertThat(e.toBody().name()).isEqualTo("missing_required_field");
            assertThat(e.getMessage()).isEqualTo("Missing `" + field + "` field.");
        });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "[{\"name\":\"activity id\",\"value\":\"x\"}]",
                "[{\"name\":\"activity_id\",\"value\":\"a.b\"}]",
                "[{\"name\":\"activity_id\"}]",
                "[{\"name\":\"\",\"value\":\"x\"}]",
                "[{\"name\":\"é\",\"value\":\"x\"}]"
            })
    void invalidTagsAreValidationErrors(String tags) {
        assertValidationError(
                parse("{\"from\":\"a@b.test\",\"to\":\"x@y.test\",\"subject\":\"s\",\"tags\":" + tags + "}"));
    }

    @Test
    void atMostFiftyRecipients() {
        String fifty =
                IntStream.range(0, 50).mapToObj(i -> "\"u" + i + "@y.test\"").collect(Collectors.joining(","));
        assertThatNoException()
                .isThrownBy(() -> parse("{\"from\":\"a@b.test\",\"subject\":\"s\",\"to\":[" + fifty + "]}")
                        .validate());
        assertValidationError(parse("{\"from\":\"a@b.test\",\"subject\":\"s\",\"to\":[" + fifty + ",\"z@y.test\"]}"));
    }

    @Test
    void implausibleAddressesAreRejected() {
        assertValidationError(parse("{\"from\":\"a@b.test\",\"to\":\"nobody\",\"subject\":\"s\"}"));
        assertThatThrownBy(() -> parse("{\"from\":\"Acme\",\"to\":\"x@y.test\",\"subject\":\"s\"}")
                        .validate())
                .isInstanceOfSatisfying(
                        ResendApiException.class,
                        e -> assertThat(e.toBody().name()).isEqualTo("invalid_from_address"));
    }

    private static void assertValidationError(SendEmailRequest request) {
        assertThatThrownBy(request::validate).isInstanceOfSatisfying(ResendApiException.class, e -> {
            assertThat(e.toBody().statusCode()).isEqualTo(422);
            assertThat(e.toBody().name()).isEqualTo("validation_error");
        });
    }
}
