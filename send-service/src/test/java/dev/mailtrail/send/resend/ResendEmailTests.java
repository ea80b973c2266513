package dev.mailtrail.send.resend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.SendEmailCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResendEmailTests {

    @Test
    void resendsFieldNamesOurTagsFirstTheCallersByNameAndNothingEmpty() {
        SendEmailCommand command = new SendEmailCommand(
                1,
                "act-1",
                "t-1",
                "Sales <s@acme.test>",
                List.of("b@example.com"),
                List.of(),
                null,
                "Reply <r@acme.test>",
                "Hi",
                null,
                "Hello",
                Map.of("z_tag", "1", "a_tag", "2"),
                null);

        assertThat(ResendEmail.json(command, "<p>Hi</p>", Map.of())).isEqualTo("""
                {"from":"Sales <s@acme.test>","to":["b@example.com"],"reply_to":"Reply <r@acme.test>","subject":"Hi",\
                "html":"<p>Hi</p>","text":"Hello","tags":[{"name":"activity_id","value":"act-1"},\
                {"name":"tenant_id","value":"t-1"},{"name":"a_tag","value":"2"},{"name":"z_tag","value":"1"}]}""");
    }
}
