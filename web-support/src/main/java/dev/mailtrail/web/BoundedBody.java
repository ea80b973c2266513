package dev.mailtrail.web;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import reactor.core.publisher.Mono;

/**
 * A request body read whole, never buffered past a limit: a body declared over it is refused before a byte is read,
 * one streamed over it (chunked, or lying about its length) as soon as the limit is passed. Both fail with
 * {@link DataBufferLimitException}, which the caller answers 413 {@code payload-too-large}.
 */
public final class BoundedBody {

    private BoundedBody() {}

    /** Whether the request declares ({@code Content-Length}) a body over {@code maxBytes}. */
    public static boolean declaredOver(ServerHttpRequest request, int maxBytes) {
        return request.getHeaders().getContentLength() > maxBytes;
    }

    /** The body's bytes (empty when there is none), or {@link DataBufferLimitException} when over {@code maxBytes}. */
    public static Mono<byte[]> read(ServerHttpRequest request, int maxBytes) {
        if (declaredOver(request, maxBytes)) {
            return Mono.error(new DataBufferLimitException("Declared body over " + maxBytes + " bytes"));
        }
        return DataBufferUtils.join(request.getBody(), maxBytes)
                .map(BoundedBody::bytes)
                .defaultIfEmpty(new byte[0]);
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }
}
