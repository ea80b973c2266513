package dev.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class JsonMediaTypeTests {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "application/json",
                "application/json;charset=UTF-8",
                "application/json; charset=iso-8859-1",
                "Application/JSON",
                "application/vnd.resend+json",
                "application/problem+json;charset=utf-8",
                "application/cloudevents+json"
            })
    void jsonAndStructuredJsonWithAnyCharsetAreAccepted(String type) {
        assertThat(JsonMediaType.accepts(withType(type))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "text/plain",
                "text/json",
                "text/x+json",
                "application/xml",
                "application/x-www-form-urlencoded",
                "application/octet-stream",
                "application/json-seq",
                "application/jsonx",
                "*/*",
                "application/*",
                "multipart/form-data; boundary=x",
                ""
            })
    void everythingElseIsRefused(String type) {
        assertThat(JsonMediaType.accepts(withType(type))).isFalse();
    }

    @Test
    void aBodyWithoutContentTypeIsRefused() {
        assertThat(JsonMediaType.accepts(MockServerHttpRequest.post("/").body("{}")))
                .isFalse();
    }

    @Test
    void anUnreadableContentTypeIsRefusedNotThrown() {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, "not a media type");
        ServerHttpRequest request =
                new ServerHttpRequestDecorator(MockServerHttpRequest.post("/").build()) {
                    @Override
                    public HttpHeaders getHeaders() {
                        return headers;
                    }
                };

        assertThat(JsonMediaType.accepts(request)).isFalse();
    }

    private static MockServerHttpRequest withType(String type) {
        return MockServerHttpRequest.post("/")
                .header(HttpHeaders.CONTENT_TYPE, type)
                .body("{}");
    }
}
