package dev.mailtrail.ingest.tracking;

import dev.mailtrail.events.ProblemCode;
import dev.mailtrail.events.tracking.LinkTarget;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.client.ClientHit;
import dev.mailtrail.ingest.proxy.TrustedProxies;
import dev.mailtrail.ingest.web.ApiDocumentation;
import dev.mailtrail.web.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public tracking edge: the open pixel and the click redirect. Answers never wait on Kafka, and nothing
 * redirects anywhere but the URL bound into a valid signed token (no open redirect).
 */
@RestController
public class TrackingController {

    /** The classic 43-byte transparent 1×1 GIF. */
    static final byte[] PIXEL =
            Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAAAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    private final TrackingTokenCodec codec;
    private final TrackingHits hits;
    private final HitBuffer buffer;
    private final HitLimiter limiter;
    private final TrackingMetrics metrics;
    private final TrustedProxies proxies;

    public TrackingController(
            TrackingTokenCodec codec,
            TrackingHits hits,
            HitBuffer buffer,
            HitLimiter limiter,
            TrackingMetrics metrics,
            TrustedProxies proxies) {
        this.codec = codec;
        this.hits = hits;
        this.buffer = buffer;
        this.limiter = limiter;
        this.metrics = metrics;
        this.proxies = proxies;
    }

    /** Always the GIF, whatever the token: a broken image would tell nothing and look bad. */
    @GetMapping("/t/o/{token}.gif")
    @Operation(
            summary = "Open pixel",
            description = "Always the 43-byte transparent GIF with Cache-Control: no-store; "
                    + "a valid token records an open, classified human or machine at the edge.")
    @ApiResponse(
            responseCode = "200",
            description = "The GIF, whatever the token",
            content = @Content(mediaType = "image/gif", examples = @ExampleObject(value = "GIF89a…")))
    public ResponseEntity<byte[]> pixel(
            @PathVariable String token, @Parameter(hidden = true) ServerHttpRequest request) {
        record(token, TrackingToken.Kind.OPEN, request);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.noStore())
                .contentType(MediaType.IMAGE_GIF)
                .body(PIXEL);
    }

    @RequestMapping(
            path = "/t/c/{token}",
            method = {RequestMethod.GET, RequestMethod.HEAD})
    @Operation(
            summary = "Click redirect",
            description = "302 to the URL bound into the signed token, never anywhere "
                    + "else: the link exactly as the sender wrote it, with only what a header cannot carry (controls, spaces, "
                    + "non-ASCII) percent-encoded as UTF-8. HEAD answers the same and is recorded as a machine.")
    @ApiResponse(
            responseCode = "302",
            description = "To the bound URL",
            headers =
                    @Header(
                            name = "Location",
                            schema = @Schema(type = "string", example = "https://acme.test/pricing?plan=pro")))
    @ApiResponse(
            responseCode = "404",
            description = "Not a token we signed",
            content =
                    @Content(
                            mediaType = ApiDocumentation.PROBLEM_JSON,
                            examples = @ExampleObject(value = ApiDocumentation.NOT_FOUND)))
    public ResponseEntity<Object> click(
            @PathVariable String token, @Parameter(hidden = true) ServerHttpRequest request) {
        return record(token, TrackingToken.Kind.CLICK, request)
                .map(bound -> ResponseEntity.status(HttpStatus.FOUND)
                        .header(HttpHeaders.LOCATION, LinkTarget.location(bound.url()))
                        .cacheControl(CacheControl.noStore())
                        .header("Referrer-Policy", "no-referrer")
                        .build())
                .orElseGet(() -> Problems.of(ProblemCode.NOT_FOUND, "Unknown link"));
    }

    /** The answer never depends on whether the hit is recorded: a limited hit gets its GIF or redirect too. */
    private Optional<TrackingToken> record(String raw, TrackingToken.Kind kind, ServerHttpRequest request) {
        Optional<TrackingToken> token =
                codec.decode(raw).filter(t -> t.kind() == kind).filter(TrackingController::safe);
        metrics.hit(kind, token.isPresent());
        token.ifPresent(t -> {
            ClientHit hit = hit(request);
            limiter.limit(t, hit.ip()).ifPresentOrElse(metrics::dropped, () -> buffer.offer(hits.pending(raw, t, hit)));
        });
        return token;
    }

    /**
     * A signed URL that is not plain http(s) could only have been minted by a bug or a stolen key. Judged as a
     * browser reads it, not by {@code java.net.URI}, which refuses links browsers follow ({@code a b}, {@code |},
     * {@code {id}}, a stray {@code %}).
     */
    private static boolean safe(TrackingToken token) {
        return token.kind() == TrackingToken.Kind.OPEN || LinkTarget.isWeb(token.url());
    }

    private ClientHit hit(ServerHttpRequest request) {
        HttpHeaders headers = request.getHeaders();
        Map<String, String> hints = new HashMap<>();
        for (String name : ClientHit.HINT_HEADERS) {
            String value = headers.getFirst(name);
            if (value != null) {
                hints.put(name, value);
            }
        }
        return new ClientHit(
                request.getMethod().name(), headers.getFirst(HttpHeaders.USER_AGENT), proxies.client(request), hints);
    }
}
