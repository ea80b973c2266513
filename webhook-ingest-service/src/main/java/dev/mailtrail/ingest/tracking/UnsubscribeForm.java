package dev.mailtrail.ingest.tracking;

import java.util.List;
import java.util.Map;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.FormHttpMessageReader;
import org.springframework.http.codec.multipart.DefaultPartHttpMessageReader;
import org.springframework.http.codec.multipart.FormFieldPart;
import org.springframework.http.codec.multipart.MultipartHttpMessageReader;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The body of a one-click unsubscribe (RFC 8058 §3.1): {@code List-Unsubscribe=One-Click}, as
 * {@code application/x-www-form-urlencoded} (what a mailbox provider sends) or {@code multipart/form-data} (what the RFC
 * recommends). Read by Spring's own form and multipart readers from a body bounded in bytes first, so a sender
 * holds at most {@value #MAX_BODY_BYTES} bytes of this instance whatever it sends.
 */
final class UnsubscribeForm {

    /** The one-click body is 26 bytes; a multipart one, a few hundred. */
    static final int MAX_BODY_BYTES = 2048;

    static final String FIELD = "List-Unsubscribe";
    static final String ONE_CLICK = "One-Click";
    /** Sent by our own confirmation page next to the one-click field: the answer is then a page a person reads. */
    static final String FROM = "from";

    static final String FROM_PAGE = "page";

    enum Verdict {
        ONE_CLICK,
        ONE_CLICK_FROM_PAGE,
        WRONG_BODY,
        UNSUPPORTED_MEDIA_TYPE,
        TOO_LARGE
    }

    private static final ResolvableType FIELDS =
            ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, String.class);
    private static final ResolvableType PARTS =
            ResolvableType.forClassWithGenerics(MultiValueMap.class, String.class, Part.class);
    private static final FormHttpMessageReader FORM = new FormHttpMessageReader();
    private static final MultipartHttpMessageReader MULTIPART = multipart();

    private UnsubscribeForm() {}

    static Mono<Verdict> read(ServerHttpRequest request) {
        MediaType type = request.getHeaders().getContentType();
        boolean form = type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type);
        boolean multipart = type != null && MediaType.MULTIPART_FORM_DATA.isCompatibleWith(type);
        if (!form && !multipart) {
            return Mono.just(Verdict.UNSUPPORTED_MEDIA_TYPE);
        }
        if (request.getHeaders().getContentLength() > MAX_BODY_BYTES) {
            return Mono.just(Verdict.TOO_LARGE);
        }
        return DataBufferUtils.join(request.getBody(), MAX_BODY_BYTES)
                .flatMap(body -> fields(bounded(request, body), multipart))
                .defaultIfEmpty(new LinkedMultiValueMap<>())
                .map(UnsubscribeForm::verdict)
                .onErrorResume(DataBufferLimitException.class, e -> Mono.just(Verdict.TOO_LARGE))
                // a malformed form or multipart body (no boundary, truncated part, bad escapes)
                .onErrorResume(e -> Mono.just(Verdict.WRONG_BODY));
    }

    private static Verdict verdict(MultiValueMap<String, String> fields) {
        if (!List.of(ONE_CLICK).equals(fields.get(FIELD))) {
            return Verdict.WRONG_BODY;
        }
        return List.of(FROM_PAGE).equals(fields.get(FROM)) ? Verdict.ONE_CLICK_FROM_PAGE : Verdict.ONE_CLICK;
    }

    @SuppressWarnings("unchecked")
    private static Mono<MultiValueMap<String, String>> fields(ServerHttpRequest request, boolean multipart) {
        if (!multipart) {
            return FORM.readMono(FIELDS, request, Map.of());
        }
        return MULTIPART.readMono(PARTS, request, Map.of()).map(parts -> {
            MultiValueMap<String, String> fields = new LinkedMultiValueMap<>();
            parts.forEach((name, values) -> values.forEach(part -> {
                if (part instanceof FormFieldPart field) {
                    fields.add(name, field.value());
                }
            }));
            return fields;
        });
    }

    /** The request, its body the bytes already read (within the bound). */
    private static ServerHttpRequest bounded(ServerHttpRequest request, DataBuffer body) {
        return new ServerHttpRequestDecorator(request) {
            @Override
            public Flux<DataBuffer> getBody() {
                return Flux.just(body);
            }
        };
    }

    private static MultipartHttpMessageReader multipart() {
        DefaultPartHttpMessageReader parts = new DefaultPartHttpMessageReader();
        parts.setMaxParts(8);
        parts.setMaxHeadersSize(MAX_BODY_BYTES);
        parts.setMaxInMemorySize(MAX_BODY_BYTES);
        parts.setMaxDiskUsagePerPart(0);
        return new MultipartHttpMessageReader(parts);
    }
}
