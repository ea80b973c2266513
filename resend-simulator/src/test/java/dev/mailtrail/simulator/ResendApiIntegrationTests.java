package dev.mailtrail.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatusCode;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.JsonNode;

/** Batch sends, idempotency keys, rate limit, quota errors and the last-request view. */
class ResendApiIntegrationTests extends IntegrationTestSupport {

    private static String email(String subject) {
        return "{\"from\":\"crm@acme.test\",\"to\":\"delivered@resend.dev\",\"subject\":\"" + subject
                + "\",\"text\":\"t\"}";
    }

    private JsonNode postOk(String uri, String json, String idempotencyKey) {
        return post(uri, json)
                .header("Idempotency-Key", idempotencyKey)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    private List<String> ids(JsonNode batchResponse) {
        return batchResponse
                .get("data")
                .valueStream()
                .map(d -> d.get("id").asString())
                .toList();
    }

    @Test
    void strictBatchSendsEveryEmailAndPlaysEachScenario() {
        JsonNode response = post("/emails/batch", "[" + email("b1") + "," + email("b2") + "," + email("b3") + "]")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

        assertThat(response.propertyNames()).containsExactly("data");
        List<String> ids = ids(response);
        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ids)
                        .allSatisfy(id -> assertThat(webhooksFor(id)).hasSize(2)));
    }

    @Test
    void strictBatchWithOneInvalidEmailSendsNothing() {
        String subject = "strict-" + UUID.randomUUID();
        post("/emails/batch", "[" + email(subject) + ",{\"from\":\"crm@acme.test\",\"subject\":\"x\",\"text\":\"t\"}]")
                .exchange()
                .expectStatus()
                .isEqualTo(422)
                .expectBody()
                .json("""
                        {"statusCode":422,"message":"Missing `to` field.","name":"missing_required_field"}""", JsonCompareMode.STRICT);

        client.get()
                .uri("/_simulator/emails")
                .exchange()
                .expectBody()
                .jsonPath("$[?(@.request.subject == '%s')]".formatted(subject))
                .isEmpty();
    }

    @Test
    void permissiveBatchSendsTheValidEmailsAndListsTheOthers() {
        JsonNode response = post(
                        "/emails/batch",
                        "[" + email("p0") + ","
                                + "{\"from\":\"crm@acme.test\",\"to\":\"a@example.com\",\"text\":\"t\"},"
                                + "{\"from\":\"crm@acme.test\",\"to\":\"a@example.com\",\"subject\":\"s\",\"text\":\"t\","
                                + "\"attachments\":[{\"filename\":\"a.txt\",\"content\":\"eA==\"}]},"
                                + email("p3") + "]")
                .header("x-batch-validation", "permissive")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();

        assertThat(ids(response)).hasSize(2);
        assertThat(response.get("errors").toString()).isEqualTo("""
                [{"index":1,"message":"Missing `subject` field."},\
                {"index":2,"message":"Attachments are not supported in batch emails."}]""");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(ids(response))
                        .allSatisfy(id -> assertThat(webhooksFor(id)).hasSize(2)));
    }

    @Test
    void batchRefusesScheduledEmailsAndMoreThanAHundred() {
        expectError(
                post(
                        "/emails/batch",
                        "[{\"from\":\"crm@acme.test\",\"to\":\"a@example.com\",\"subject\":\"s\","
                                + "\"text\":\"t\",\"scheduled_at\":\"in 1 hour\"}]"),
                422,
                "validation_error");
        String tooMany =
                IntStream.range(0, 101).mapToObj(i -> email("m" + i)).collect(Collectors.joining(",", "[", "]"));
        expectError(post("/emails/batch", tooMany), 422, "validation_error");
    }

    @Test
    void repeatedRequestGetsTheFirstResponseAndSendsNothingMore() {
        String key = "activity-" + UUID.randomUUID();
        String body = email("idempotent");
        String id = postOk("/emails", body, key).get("id").asString();
        // the same JSON, spelled differently, is the same request
        String respelled = "{ \"text\":\"t\", \"subject\":\"idempotent\", \"to\":\"delivered@resend.dev\", "
                + "\"from\":\"crm@acme.test\" }";
        assertThat(postOk("/emails", respelled, key).get("id").asString()).isEqualTo(id);

        client.get()
                .uri("/_simulator/emails/by-idempotency-key/{key}", key)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.count")
                .isEqualTo(1)
                .jsonPath("$.in_flight")
                .isEqualTo(false)
                .jsonPath("$.emails[0].id")
                .isEqualTo(id);
        // one set of webhooks, and it stays one
        await().atMost(Duration.ofSeconds(10))
                .during(Duration.ofMillis(500))
                .until(() -> webhooksFor(id).size() == 2);
    }

    @Test
    void repeatedBatchGetsTheSameIds() {
        String key = "batch-" + UUID.randomUUID();
        String body = "[" + email("k1") + "," + email("k2") + "]";
        List<String> ids = ids(postOk("/emails/batch", body, key));

        assertThat(ids(postOk("/emails/batch", body, key))).isEqualTo(ids);
        client.get()
                .uri("/_simulator/emails/by-idempotency-key/{key}", key)
                .exchange()
                .expectBody()
                .jsonPath("$.count")
                .isEqualTo(2);
    }

    @Test
    void sameKeyWithAnotherRequestIs409() {
        String key = "activity-" + UUID.randomUUID();
        postOk("/emails", email("first"), key);

        expectError(post("/emails", email("second")).header("Idempotency-Key", key), 409, "invalid_idempotent_request");
        expectError(
                post("/emails/batch", "[" + email("first") + "]").header("Idempotency-Key", key),
                409,
                "invalid_idempotent_request");
    }

    @Test
    void sameKeyWhileTheFirstIsInFlightIs409() {
        putSettings("{\"processing_delay_ms\":5000}");
        String key = "activity-" + UUID.randomUUID();
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> client.mutate()
                .responseTimeout(Duration.ofSeconds(60))
                .build()
                .post()
                .uri("/emails")
                .header("Authorization", "Bearer " + API_KEY)
                .header("Idempotency-Key", key)
                .header("Content-Type", "application/json")
                .bodyValue(email("slow"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody()
                .get("id")
                .asString());
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> client.get()
                        .uri("/_simulator/emails/by-idempotency-key/{key}", key)
                        .exchange()
                        .expectBody()
                        .jsonPath("$.in_flight")
                        .isEqualTo(true));

        expectError(
                post("/emails", email("slow")).header("Idempotency-Key", key), 409, "concurrent_idempotent_requests");

        String id = first.join();
        assertThat(postOk("/emails", email("slow"), key).get("id").asString()).isEqualTo(id);
    }

    @Test
    void overlongIdempotencyKeyIs400() {
        expectError(
                post("/emails", email("x")).header("Idempotency-Key", "k".repeat(257)), 400, "invalid_idempotency_key");
    }

    @Test
    void overTheRateLimitIs429WithResendsHeaders() {
        client.get()
                .uri("/emails/{id}", UUID.randomUUID())
                .header("Authorization", "Bearer " + API_KEY)
                .exchange()
                .expectHeader()
                .doesNotExist("ratelimit-limit")
                .expectBody(Void.class);
        putSettings("{\"rate_limit\":2}");

        EntityExchangeResult<String> result;
        int requests = 0;
        do {
            // a slow machine may see a new one-second window now and then; within 50 requests it is over the limit
            result = client.get()
                    .uri("/emails/{id}", UUID.randomUUID())
                    .header("Authorization", "Bearer " + API_KEY)
                    .exchange()
                    .expectHeader()
                    .valueEquals("ratelimit-limit", "2")
                    .expectHeader()
                    .exists("ratelimit-remaining")
                    .expectHeader()
                    .exists("ratelimit-reset")
                    .expectBody(String.class)
                    .returnResult();
        } while (result.getStatus().value() != 429 && ++requests < 50);

        assertThat(result.getStatus()).isEqualTo(HttpStatusCode.valueOf(429));
        assertThat(result.getResponseHeaders().getFirst("ratelimit-remaining")).isEqualTo("0");
        assertThat(Long.parseLong(result.getResponseHeaders().getFirst("retry-after")))
                .isPositive();
        assertThat(mapper.readTree(result.getResponseBody()).get("name").asString())
                .isEqualTo("rate_limit_exceeded");
    }

    @Test
    void quotaSwitchMakesSendsFailUntilSwitchedOff() {
        putSettings("{\"quota_exceeded\":\"daily\"}");
        post("/emails", email("q"))
                .exchange()
                .expectStatus()
                .isEqualTo(429)
                .expectBody()
                .json("""
                        {"statusCode":429,"message":"You have reached your daily email sending quota.",
                         "name":"daily_quota_exceeded"}""", JsonCompareMode.STRICT);
        putSettings("{\"quota_exceeded\":\"monthly\"}");
        expectError(post("/emails/batch", "[" + email("q") + "]"), 429, "monthly_quota_exceeded");

        putSettings("{\"quota_exceeded\":\"none\"}");
        send(email("q"));
    }

    @Test
    void anUnverifiedSenderDomainIsRefusedLikeResendAndABatchWithOneIsRefusedWhole() {
        putSettings("{\"unverified_domains\":[\"Unverified.test\"]}");
        String subject = "unverified-" + UUID.randomUUID();
        String unverified = email(subject).replace("crm@acme.test", "Sales <crm@UNVERIFIED.test>");
        post("/emails", unverified)
                .exchange()
                .expectStatus()
                .isEqualTo(403)
                .expectBody()
                .json("""
                        {"statusCode":403,"message":"The UNVERIFIED.test domain is not verified. Please, add and \
                        verify your domain on https://resend.com/domains","name":"validation_error"}""", JsonCompareMode.STRICT);
        String batch = "[" + email(subject) + "," + unverified + "," + email(subject) + "]";
        String key = "batch-" + UUID.randomUUID();
        for (String mode : List.of("strict", "permissive")) {
            expectError(
                    post("/emails/batch", batch)
                            .header("x-batch-validation", mode)
                            .header("Idempotency-Key", key),
                    403,
                    "validation_error");
        }
        client.get()
                .uri("/_simulator/emails")
                .exchange()
                .expectBody()
                .jsonPath("$[?(@.request.subject == '%s')]".formatted(subject))
                .isEmpty();
        send(email("verified"));

        // a refusal is not remembered: once the domain is verified the same request under the same key sends
        putSettings("{\"unverified_domains\":[]}");
        assertThat(ids(postOk("/emails/batch", batch, key))).hasSize(3);
    }

    @Test
    void lastRequestShowsWhatTheClientSentWithTheKeyMasked() {
        String key = "activity-" + UUID.randomUUID();
        postOk("/emails", email("seen"), key);

        client.get()
                .uri("/_simulator/last-request")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.method")
                .isEqualTo("POST")
                .jsonPath("$.path")
                .isEqualTo("/emails")
                .jsonPath("$.headers.authorization")
                .isEqualTo(List.of("Bearer ***"))
                .jsonPath("$.headers.idempotency-key")
                .isEqualTo(List.of(key));
    }

    @Test
    void settingsCanBeReadChangedAndAreChecked() {
        putSettings("{\"duplicate_rate\":0.5,\"extra_delay_max_ms\":10}");
        client.get()
                .uri("/_simulator/settings")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .json("""
                        {"rate_limit":0,"quota_exceeded":"none","processing_delay_ms":0,"retry_scale":0.001,
                         "duplicate_rate":0.5,"reorder_rate":0.0,"extra_delay_min_ms":0,"extra_delay_max_ms":10,
                         "unverified_domains":[],"loss_rate":0.0}""", JsonCompareMode.STRICT);

        for (String bad : List.of(
                "{\"duplicate_rate\":2}",
                "{\"rate_limit\":-1}",
                "{\"duplicate_rat\":0.1}",
                "{\"quota_exceeded\":\"weekly\"}",
                "{\"unverified_domains\":[\"a@b.test\"]}")) {
            client.put()
                    .uri("/_simulator/settings")
                    .header("Content-Type", "application/json")
                    .bodyValue(bad)
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectBody(Void.class);
        }
    }
}
