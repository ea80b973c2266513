package dev.mailtrail.send.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.send.TestDatabase;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The public port's edge over the real service: however a path is spelled, a CRM route needs the token (401) or
 * does not exist (404), never 500 and never answered without one; every error answer is problem+json.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"management.server.port=0", "mailtrail.api-tokens=edge-token"})
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class EdgeIntegrationTests {

    static final String PROBLEMS = "https://mailtrail.dev/problems/";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        TestDatabase.register(registry);
    }

    @Autowired
    WebTestClient http;

    @LocalServerPort
    int port;

    /** Without a token, then with it; 200 where the router reads the spelling as the listing route. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = ' ',
            value = {
                "/api/cr%6D/activities?tenantId=tenant-a 401 200",
                "/api/cr%6d/activities?tenantId=tenant-a 401 200",
                "/api/%63rm/activities?tenantId=tenant-a 401 200",
                "/api/crm/activities;jsessionid=A1B2?tenantId=tenant-a 401 200",
                "/api;x=1/crm;y=2/activities?tenantId=tenant-a 401 200",
                "/api%2Fcrm/activities?tenantId=tenant-a 401 404",
                "/api/crm%2Factivities?tenantId=tenant-a 401 404",
                "//api/crm/activities?tenantId=tenant-a 401 404",
                "/api//crm/activities?tenantId=tenant-a 401 404",
                "/api/crm/../crm/activities?tenantId=tenant-a 401 404",
                "/api/crm/%2e%2e/crm/activities?tenantId=tenant-a 401 404",
                "/api/./crm/activities?tenantId=tenant-a 401 404",
                "/x/../api/crm/activities?tenantId=tenant-a 401 404",
                "/API/CRM/activities?tenantId=tenant-a 401 404",
                "/api/crm 401 404",
                "/api/crm/nope 401 404",
                "/api/crm/activities/a%2Fb 401 400",
                "/api/cr%256D/activities?tenantId=tenant-a 404 404",
                "/api/cr%256d/activities?tenantId=tenant-a 404 404",
                "/nope 404 404"
            })
    void everySpellingOfACrmRouteNeedsTheTokenOrDoesNotExist(String path, int withoutToken, int withToken) {
        problem(
                request(HttpMethod.GET, path).exchange(),
                withoutToken,
                withoutToken == 401 ? "unauthorized" : "not-found");
        var answer = request(HttpMethod.GET, path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer edge-token")
                .exchange();
        if (withToken == 200) {
            answer.expectStatus().isOk().expectBody().jsonPath("$.items").isArray();
        } else {
            problem(answer, withToken, withToken == 400 ? "validation" : "not-found");
        }
    }

    @Test
    void aMissingTokenNamesTheSchemeAndTheFormerFiveHundredIsNow401() {
        request(HttpMethod.GET, "/api/cr%6D/activities?tenantId=tenant-a")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(
            delimiter = ' ',
            value = {
                "limit=abc limit",
                "limit=99999999999 limit",
                "limit=0 limit",
                "status=LOST status",
                "noOpenFor=yesterday noOpenFor",
                "noOpenFor=PT2562047788015215H noOpenFor",
                "noOpenFor=P36501D noOpenFor",
                "cursor=!!notbase64 cursor",
                "cursor=bm90LWEtY3Vyc29y cursor",
                "tenantId=tenant%00a tenantId",
                "tenantId=tenant.a tenantId"
            })
    void aListParameterThatCannotBeReadIs400NamingIt(String query, String field) {
        String tenant = query.startsWith("tenantId=") ? "" : "tenantId=tenant-a&";
        problem(get("/api/crm/activities?" + tenant + query), 400, "validation")
                .jsonPath("$.errors[*].field")
                .isEqualTo(List.of(field));
    }

    @Test
    void aTamperedCursorIs400NamingIt() {
        for (String raw : new String[] {
            "99999999999999999|act-1",
            "-5|act-1",
            "1764152131000|act 1",
            "1764152131000|act-\u0000",
            "1764152131000|" + "a".repeat(129),
            "1764152131000|",
            "|act-1",
            "x|act-1"
        }) {
            String cursor =
                    Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
            problem(get("/api/crm/activities?tenantId=tenant-a&cursor=" + cursor), 400, "validation")
                    .jsonPath("$.errors[0].field")
                    .isEqualTo("cursor");
        }
        String genuine = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("1764152131000|act-1".getBytes(StandardCharsets.UTF_8));
        get("/api/crm/activities?tenantId=tenant-a&cursor=" + genuine)
                .expectStatus()
                .isOk()
                .expectBody(Void.class);
    }

    @Test
    void anIdThatCannotExistIs400NamingIt() {
        problem(get("/api/crm/activities/act%20one"), 400, "validation")
                .jsonPath("$.errors[0].field")
                .isEqualTo("activityId");
        problem(get("/api/crm/activities/" + "a".repeat(129)), 400, "validation")
                .jsonPath("$.errors[0].field")
                .isEqualTo("activityId");
        problem(get("/api/crm/streams/activities?tenantId=t%0A1"), 400, "validation")
                .jsonPath("$.errors[0].field")
                .isEqualTo("tenantId");
        problem(get("/api/crm/activities/act-unknown"), 404, "not-found");
    }

    @Test
    void aMethodARouteDoesNotTakeIs405ProblemJsonWithAllow() {
        problem(
                request(HttpMethod.DELETE, "/api/crm/activities/act-1")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer edge-token")
                        .exchange(),
                405,
                "method-not-allowed");
        request(HttpMethod.PUT, "/api/crm/emails")
                .header(HttpHeaders.AUTHORIZATION, "Bearer edge-token")
                .exchange()
                .expectStatus()
                .isEqualTo(405)
                .expectHeader()
                .valueEquals(HttpHeaders.ALLOW, "POST");
    }

    @Test
    void anAnswerTypeARouteCannotGiveIs406ProblemJson() {
        problem(
                request(HttpMethod.GET, "/api/crm/streams/activities?tenantId=tenant-a")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer edge-token")
                        .accept(MediaType.APPLICATION_JSON)
                        .exchange(),
                406,
                "not-acceptable");
        problem(
                request(HttpMethod.GET, "/api/crm/activities?tenantId=tenant-a")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer edge-token")
                        .accept(MediaType.APPLICATION_XML)
                        .exchange(),
                406,
                "not-acceptable");
    }

    @Test
    void aBodyTypeTheSendRouteDoesNotTakeIs415ProblemJson() {
        problem(
                request(HttpMethod.POST, "/api/crm/emails")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer edge-token")
                        .contentType(MediaType.TEXT_PLAIN)
                        .bodyValue("hello")
                        .exchange(),
                415,
                "unsupported-media-type");
    }

    @Test
    void theRoutesOutsideTheApiStayOpen() {
        request(HttpMethod.GET, "/ui/config").exchange().expectStatus().isOk().expectBody(Void.class);
        request(HttpMethod.GET, "/").exchange().expectStatus().isOk().expectBody(Void.class);
        byte[] docs = request(HttpMethod.GET, "/v3/api-docs")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .returnResult()
                .getResponseBody();
        assertThat(new String(docs, StandardCharsets.UTF_8)).contains("/api/crm/activities");
    }

    @Test
    void aRequestLineThatIsNotAUriIsRefused400ByTheHttpLayer() throws IOException {
        // no client library sends this; the server refuses it before any filter runs (empty body, see README)
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream()
                    .write(("GET /api/cr%ZZ/activities HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Connection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).startsWith("HTTP/1.1 400");
        }
    }

    private WebTestClient.BodyContentSpec problem(WebTestClient.ResponseSpec answer, int status, String code) {
        return answer.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo(PROBLEMS + code)
                .jsonPath("$.status")
                .isEqualTo(status);
    }

    private WebTestClient.ResponseSpec get(String path) {
        return request(HttpMethod.GET, path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer edge-token")
                .exchange();
    }

    /** The path exactly as written: a URI is sent as is, where a template would be encoded again. */
    private WebTestClient.RequestBodySpec request(HttpMethod method, String path) {
        return http.method(method).uri(URI.create("http://127.0.0.1:" + port + path));
    }
}
