package dev.mailtrail.send.sending;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.OpenTracking;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SendingTests {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");

    @Test
    void backoffDoublesFromTheInitialUpToTheMaximum() {
        SendingProperties properties = new SendingProperties(
                1, Duration.ofSeconds(1), 100, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofHours(23));

        assertThat(List.of(1, 2, 3, 4, 5, 50).stream().map(properties::backoff))
                .containsExactly(
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(4),
                        Duration.ofSeconds(8),
                        Duration.ofSeconds(10),
                        Duration.ofSeconds(10));
    }

    @Test
    void aBatchSendsItsMembersStoredEmailsAsOneArrayInOrder() {
        Dispatch batch = new Dispatch(
                "batch/x", true, 1, T0, false, List.of(member("a", "{\"a\":1}"), member("b", "{ \"b\" : 2 }")));
        Dispatch single = new Dispatch("send/a", false, 1, T0, false, List.of(member("a", "{\"a\":1}")));

        assertThat(batch.body()).isEqualTo("[{\"a\":1},{ \"b\" : 2 }]");
        assertThat(single.body()).isEqualTo("{\"a\":1}");
    }

    @Test
    void onlyAnAttemptThatMayHaveSentAndWhoseKeyMayBeForgottenIsOutsideTheKeyWindow() {
        Duration window = Duration.ofHours(23);
        Instant later = T0.plus(window);

        assertThat(new Dispatch("k", false, 2, T0, true, List.of()).outsideKeyWindow(later, window))
                .isTrue();
        assertThat(new Dispatch("k", false, 2, T0, true, List.of()).outsideKeyWindow(later.minusMillis(1), window))
                .isFalse();
        assertThat(new Dispatch("k", false, 2, T0, false, List.of()).outsideKeyWindow(later.plusSeconds(3600), window))
                .isFalse();
    }

    @Test
    void aBatchTakesWaitingRequestsInOrderWhileTheirEmailsFitOneBody() {
        int mib = 1024 * 1024;

        assertThat(Claims.withinBodyLimit(
                        List.of(waiting("a", 5 * mib), waiting("b", 3 * mib), waiting("c", mib), waiting("d", 1))))
                .extracting(Claims.Waiting::activityId)
                .containsExactly("a", "b");
        assertThat(Claims.withinBodyLimit(List.of(waiting("huge", 20 * mib), waiting("b", 1))))
                .extracting(Claims.Waiting::activityId)
                .containsExactly("huge");
    }

    @Test
    void aSingleEmailsKeyNamesItsTenantAndActivityAndIsHashedWhereResendWouldRefuseItsLength() {
        String longest = "a".repeat(128);

        assertThat(Dispatch.singleKey("t-1", "act-1")).isEqualTo("send/t-1/act-1");
        assertThat(Dispatch.singleKey("t-1", "act-1")).isNotEqualTo(Dispatch.singleKey("t-2", "act-1"));
        assertThat(Dispatch.singleKey(longest, longest))
                .startsWith("send/sha256/")
                .hasSizeLessThanOrEqualTo(Dispatch.MAX_KEY_LENGTH)
                .isEqualTo(Dispatch.singleKey(longest, longest))
                .isNotEqualTo(Dispatch.singleKey(longest, "b" + longest.substring(1)));
        // the longest key sent as it is, and the shortest that is hashed
        String fits = "b".repeat(Dispatch.MAX_KEY_LENGTH - "send/".length() - "t/".length());
        assertThat(Dispatch.singleKey("t", fits))
                .hasSize(Dispatch.MAX_KEY_LENGTH)
                .endsWith(fits);
        assertThat(Dispatch.singleKey("t", fits + "b")).startsWith("send/sha256/");
    }

    @Test
    void oneRecipientsMessageHasAKeyOfItsOwnAndAnEmailsOnlyMessageKeepsTodays() {
        String longest = "a".repeat(128);

        assertThat(Dispatch.singleKey("t-1", "act-1", 2)).isEqualTo("send/t-1/act-1/2");
        assertThat(Dispatch.singleKey("t-1", "act-1", null)).isEqualTo("send/t-1/act-1");
        assertThat(Dispatch.singleKey(longest, longest, 1))
                .startsWith("send/sha256/")
                .isNotEqualTo(Dispatch.singleKey(longest, longest, 0))
                .isNotEqualTo(Dispatch.singleKey(longest, longest, null));
        assertThat(Dispatch.singleKey(new Dispatch.Member("act-1", "t-1", 3, true, OpenTracking.TRACKED, "{}")))
                .isEqualTo("send/t-1/act-1/3");
        assertThat(Dispatch.singleKey(new Dispatch.Member("act-1", "t-1", 0, false, OpenTracking.TRACKED, "{}")))
                .isEqualTo("send/t-1/act-1");
    }

    private static Claims.Waiting waiting(String activityId, int bytes) {
        return new Claims.Waiting("t-1", activityId, (short) 0, false, bytes);
    }

    private static Dispatch.Member member(String activityId, String email) {
        return new Dispatch.Member(activityId, "t-1", 0, false, OpenTracking.TRACKED, email);
    }
}
