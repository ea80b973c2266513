package dev.mailtrail.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class BoundedBodyTests {

    private static final DefaultDataBufferFactory BUFFERS = DefaultDataBufferFactory.sharedInstance;

    @Test
    void aBodyUpToTheLimitIsReadWholeAcrossChunks() {
        MockServerHttpRequest request = MockServerHttpRequest.post("/").body(Flux.just(chunk("{\"a\":"), chunk("1}")));

        StepVerifier.create(BoundedBody.read(request, 7))
                .assertNext(bytes ->
                        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}"))
                .verifyComplete();
    }

    @Test
    void noBodyIsEmptyBytes() {
        StepVerifier.create(BoundedBody.read(MockServerHttpRequest.post("/").build(), 10))
                .assertNext(bytes -> assertThat(bytes).isEmpty())
                .verifyComplete();
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedWithoutReadingTheBody() {
        AtomicInteger subscribed = new AtomicInteger();
        MockServerHttpRequest request = MockServerHttpRequest.post("/")
                .contentLength(11)
                .body(Flux.just(chunk("x")).doOnSubscribe(s -> subscribed.incrementAndGet()));

        assertThat(BoundedBody.declaredOver(request, 10)).isTrue();
        assertThat(BoundedBody.declaredOver(request, 11)).isFalse();
        StepVerifier.create(BoundedBody.read(request, 10)).verifyError(DataBufferLimitException.class);
        assertThat(subscribed).hasValue(0);
    }

    @Test
    void aStreamedBodyOverTheLimitFailsOnceItPassesIt() {
        // no Content-Length (chunked): only reading finds out, and it stops at the limit
        AtomicInteger emitted = new AtomicInteger();
        Flux<DataBuffer> endless = Flux.generate(sink -> {
            emitted.incrementAndGet();
            sink.next(chunk("0123456789"));
        });
        MockServerHttpRequest request = MockServerHttpRequest.post("/").body(endless);

        assertThat(BoundedBody.declaredOver(request, 25)).isFalse();
        StepVerifier.create(BoundedBody.read(request, 25)).verifyError(DataBufferLimitException.class);
        assertThat(emitted.get()).isLessThanOrEqualTo(4);
    }

    private static DataBuffer chunk(String text) {
        return BUFFERS.wrap(text.getBytes(StandardCharsets.UTF_8));
    }
}
