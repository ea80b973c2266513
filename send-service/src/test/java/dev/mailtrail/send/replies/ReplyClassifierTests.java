package dev.mailtrail.send.replies;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.AutoReplyKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplyClassifierTests {

    @ParameterizedTest(name = "{0}: {1} / {2} -> {4}")
    @CsvSource(
            delimiter = '|',
            nullValues = "-",
            value = {
                "Auto-Submitted | auto-replied | Re: Hi | pat@prospect.test | AUTO_RESPONDER",
                "Auto-Submitted | auto-replied; owner-email=x@y | Automatic reply: Hi | pat@prospect.test | OUT_OF_OFFICE",
                "Auto-Submitted | auto-generated | Re: Hi | pat@prospect.test | OTHER",
                "Auto-Submitted | no | Re: Hi | pat@prospect.test | -",
                "X-Autoreply | yes | Re: Hi | pat@prospect.test | AUTO_RESPONDER",
                "X-Autorespond | yes | Re: Hi | pat@prospect.test | AUTO_RESPONDER",
                "Precedence | auto_reply | Re: Hi | pat@prospect.test | AUTO_RESPONDER",
                "Precedence | bulk | Re: Hi | pat@prospect.test | OTHER",
                "Precedence | junk | Re: Hi | pat@prospect.test | OTHER",
                "Precedence | list | Re: Hi | pat@prospect.test | -",
                "X-Mailer | Outlook | Out of Office: Hi | pat@prospect.test | OUT_OF_OFFICE",
                "X-Mailer | Outlook | Re: Hi | pat@prospect.test | -",
                "Content-Type | multipart/report; report-type=delivery-status | Undeliverable | pat@prospect.test | DELIVERY_STATUS",
                "X-Mailer | x | Returned mail | MAILER-DAEMON@mx.prospect.test | DELIVERY_STATUS",
            })
    void tellsAPersonsReplyFromAnAutomaticOne(
            String name, String value, String subject, String from, AutoReplyKind kind) {
        assertThat(ReplyClassifier.classify(Map.of(name, value), from, subject, "text")
                        .kind())
                .isEqualTo(kind);
    }

    @ParameterizedTest
    @CsvSource({"I am out of the office until Monday", "Je suis absent: réponse automatique"})
    void anAutomaticReplysTextCanSayItIsOutOfOffice(String text) {
        assertThat(ReplyClassifier.classify(Map.of("Auto-Submitted", "auto-replied"), "p@x.test", "Re: Hi", text)
                        .kind())
                .isEqualTo(AutoReplyKind.OUT_OF_OFFICE);
    }

    @ParameterizedTest
    @CsvSource({"I will be on vacation next week - can we talk after?", "Out of office? No, let's meet"})
    void aPersonsTextAloneNeverMakesAnAutoReply(String text) {
        assertThat(ReplyClassifier.classify(Map.of(), "p@x.test", "Re: Hi", text)
                        .automatic())
                .isFalse();
    }

    /** Header names in any case, in any order among others, values folded across lines: the same verdict. */
    @Property
    void headerCaseOrderAndFoldingDoNotMatter(
            @ForAll boolean upper, @ForAll @IntRange(min = 0, max = 5) int before, @ForAll boolean folded) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < before; i++) {
            headers.put("X-Other-" + i, "v" + i);
        }
        String name = upper ? "AUTO-SUBMITTED" : "auto-submitted";
        headers.put(name, folded ? "auto-replied;\r\n\towner-email=\"x@y.test\"" : "auto-replied");
        headers.put("Received", "from a\r\n by b");

        assertThat(ReplyClassifier.classify(headers, "p@x.test", "Re: Hi", "Thanks")
                        .kind())
                .isEqualTo(AutoReplyKind.AUTO_RESPONDER);
        headers.put(name.toLowerCase(Locale.ROOT).equals(name) ? name : name, "no");
        assertThat(ReplyClassifier.classify(headers, "p@x.test", "Re: Hi", "Thanks")
                        .automatic())
                .isFalse();
    }
}
