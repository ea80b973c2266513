package dev.mailtrail.ingest.bench;

import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The benchmark's baseline: the same HTTP stack reading the same body and answering 202, doing nothing else.
 * Exists only under the {@code bench} profile.
 */
@RestController
@Profile("bench")
class NoopWebhookController {

    @PostMapping("/bench/noop")
    Mono<ResponseEntity<Map<String, String>>> noop(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), 256 * 1024)
                .doOnNext(DataBufferUtils::release)
                .then(Mono.just(ResponseEntity.accepted().body(Map.of("eventId", "noop"))));
    }
}
