package dev.mailtrail.send.sending;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import dev.mailtrail.events.OpenTracking;

/**
 * One call to Resend as claimed for an attempt: its key, its members in order, and what earlier attempts left behind
 * ({@code wasInDoubt}: one of them may have sent).
 */
record Dispatch(String key, boolean batch, int attempts, Instant firstAttemptAt, boolean wasInDoubt,
        List<Member> members) {

    /** A request of the call, with the email stored for it at acceptance. */
    record Member(String activityId, String tenantId, OpenTracking openTracking, String email) {
    }

    /** The key of a call with one email, never used for anything else: {@code send/<activityId>}. */
    static String singleKey(String activityId) {
        return "send/" + activityId;
    }

    /** Exactly the bytes of every attempt: the stored email, or the stored emails as an array in member order. */
    String body() {
        return batch ? members.stream().map(Member::email).collect(Collectors.joining(",", "[", "]"))
                : members.get(0).email();
    }

    /** Whether an attempt may have sent and Resend may have forgotten the key by now: another try could send twice. */
    boolean outsideKeyWindow(Instant now, Duration keyWindow) {
        return wasInDoubt && !now.isBefore(firstAttemptAt.plus(keyWindow));
    }
}
