package dev.mailtrail.send.resend;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.send.resend.ResendOutcome.Accepted;
import dev.mailtrail.send.resend.ResendOutcome.Reason;
import dev.mailtrail.send.resend.ResendOutcome.Rejected;
import dev.mailtrail.send.resend.ResendOutcome.Result;
import dev.mailtrail.send.resend.ResendOutcome.Retry;
import io.netty.handler.timeout.ReadTimeoutException;
import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ResendOutcomeTests {

    static final Instant NOW = Instant.parse("2026-11-26T10:15:30.000Z");

    @Test
    void aTakenEmailGivesItsId() {
        assertThat(answered(200, "{\"id\":\"em-1\"}", null, 1))
                .isEqualTo(new Accepted(List.of(new Result("em-1", null))));
    }

    @Test
    void aPermissiveBatchGivesIdsInOrderAndTheRefusedMembersTheirMessage() {
        String body = """
                {"data":[{"id":"em-0"},{"id":"em-2"}],"errors":[{"index":1,"message":"Invalid `from` field."}]}""";

        assertThat(answered(200, body, null, 3))
                .isEqualTo(new Accepted(List.of(
                        new Result("em-0", null),
                        new Result(null, "Invalid `from` field."),
                        new Result("em-2", null))));
    }

    @Test
    void aTakenCallWhoseAnswerCannotBeMatchedIsRetriedAsPossiblySent() {
        for (String body : List.of("", "not json", "{\"data\":[{\"id\":\"em-0\"}]}", "{\"id\":\"em-1\"}")) {
            assertThat(answered(200, body, null, 2)).as(body).isEqualTo(new Retry(Reason.RETRIED, null, true));
        }
    }

    @Test
    void rateLimitsWaitAsLongAsResendSays() {
        assertThat(answered(429, error("rate_limit_exceeded"), Duration.ofSeconds(2), 1))
                .isEqualTo(new Retry(Reason.RATE_LIMITED, NOW.plusSeconds(2), false));
        assertThat(answered(429, "", null, 1)).isEqualTo(new Retry(Reason.RATE_LIMITED, null, false));
    }

    @Test
    void quotaErrorsWaitForTheQuotaToResetOrAsLongAsResendSays() {
        assertThat(answered(429, error("daily_quota_exceeded"), null, 1))
                .isEqualTo(new Retry(Reason.QUOTA_EXCEEDED, Instant.parse("2026-11-27T00:00:00Z"), false));
        assertThat(answered(429, error("monthly_quota_exceeded"), null, 1))
                .isEqualTo(new Retry(Reason.QUOTA_EXCEEDED, Instant.parse("2026-12-01T00:00:00Z"), false));
        assertThat(answered(429, error("daily_quota_exceeded"), Duration.ofHours(1), 1))
                .isEqualTo(new Retry(Reason.QUOTA_EXCEEDED, NOW.plusSeconds(3600), false));
    }

    @Test
    void serverErrorsAndAKeyInFlightAreRetried() {
        assertThat(answered(500, error("application_error"), null, 1))
                .isEqualTo(new Retry(Reason.RETRIED, null, false));
        assertThat(answered(503, "<html>", Duration.ofSeconds(5), 1))
                .isEqualTo(new Retry(Reason.RETRIED, NOW.plusSeconds(5), false));
        assertThat(answered(409, error("concurrent_idempotent_requests"), null, 1))
                .isEqualTo(new Retry(Reason.RETRIED, null, false));
    }

    @Test
    void everyOtherClientErrorIsFinalWithResendsReason() {
        assertThat(answered(422, error("invalid_from_address"), null, 1))
                .isEqualTo(new Rejected("invalid_from_address: because", true));
        assertThat(answered(403, error("validation_error"), null, 3))
                .isEqualTo(new Rejected("validation_error: because", true));
        assertThat(answered(403, "", null, 1)).isEqualTo(new Rejected("HTTP 403", true));
    }

    @Test
    void refusalsOfTheApiKeyOrOfTheIdempotencyKeyAreNotAboutWhatWasSent() {
        assertThat(answered(401, error("validation_error"), null, 2))
                .isEqualTo(new Rejected("validation_error: because", false));
        for (String name : List.of(
                "missing_api_key",
                "restricted_api_key",
                "invalid_api_key",
                "invalid_idempotency_key",
                "invalid_idempotent_request")) {
            assertThat(answered(403, error(name), null, 2)).isEqualTo(new Rejected(name + ": because", false));
        }
    }

    @Test
    void noAnswerIsAPossibleSendUnlessResendWasNeverReached() {
        assertThat(ResendOutcome.unanswered(new TimeoutException())).isEqualTo(new Retry(Reason.TIMEOUT, null, true));
        assertThat(ResendOutcome.unanswered(new RuntimeException(ReadTimeoutException.INSTANCE)))
                .isEqualTo(new Retry(Reason.TIMEOUT, null, true));
        assertThat(ResendOutcome.unanswered(new RuntimeException(new ConnectException("refused"))))
                .isEqualTo(new Retry(Reason.RETRIED, null, false));
    }

    private static ResendOutcome answered(int status, String body, Duration retryAfter, int emails) {
        return ResendOutcome.answered(status, body, retryAfter, emails, NOW);
    }

    private static String error(String name) {
        return "{\"statusCode\":400,\"message\":\"because\",\"name\":\"" + name + "\"}";
    }
}
