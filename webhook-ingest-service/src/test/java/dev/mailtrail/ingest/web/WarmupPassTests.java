package dev.mailtrail.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class WarmupPassTests {

    final WarmupPass pass = new WarmupPass();

    @Test
    void onlyThisInstancesOwnValuePasses() {
        assertThat(pass.presentIn(headers(pass.value()))).isTrue();
        assertThat(pass.presentIn(headers(new WarmupPass().value())))
                .as("another instance's")
                .isFalse();
        assertThat(pass.presentIn(headers(pass.value() + "x"))).isFalse();
        assertThat(pass.presentIn(headers(""))).isFalse();
        assertThat(pass.presentIn(new HttpHeaders())).isFalse();
    }

    @Test
    void theValueIsUnguessablyLong() {
        assertThat(pass.value()).hasSize(43).matches("[A-Za-z0-9_-]+");
    }

    private static HttpHeaders headers(String value) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(WarmupPass.HEADER, value);
        return headers;
    }
}
