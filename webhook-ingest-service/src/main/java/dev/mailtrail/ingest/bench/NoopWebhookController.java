package dev.mailtrail.ingest.bench;

import dev.mailtrail.web.BoundedBody;
import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The benchmark's baseline: the same HTTP stack reading the same body the same way (the webhook's bounded read) and
 * answering 202, doing nothing else. Exists only under the {@code bench} profile.
 */
@RestController
@Profile("bench")
class NoopWebhookController {

    @PostMapping("/bench/noop")
    Mono<ResponseEntity<Map<String, String>>> noop(ServerHttpRequest request) {
        return BoundedBody.read(request, 256 * 1024)
                .then(Mono.just(ResponseEntity.accepted().body(Map.of("eventId", "noop"))));
    }
}
