package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.svix.Webhook;
import dev.mailtrail.bench.Probe.Channel;
import dev.mailtrail.bench.Probe.Expect;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.Topics;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.events.WireText;
import dev.mailtrail.events.tracking.TrackingKeys;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.localstack.StackConfig;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PoisonProbesTests {

    private final Webhooks webhooks = new Webhooks(StackConfig.DEV_WEBHOOK_SECRETS, "t1");

    private static JsonNode json(byte[] bytes) {
        return WireJson.mapper().readTree(bytes);
    }

    private static byte[] value(Probe p) {
        return p.request() != null ? p.request().body() : p.record().value();
    }

    @Test
    void eachSendFaultDiffersFromAHealthyRequestInExactlyTheFieldItNames() {
        List<Probe> probes = new PoisonSends(webhooks, "token").probes(1);
        Map<Channel, JsonNode> healthy = Map.of(
                probes.get(0).channel(),
                json(value(probes.get(0))),
                probes.get(1).channel(),
                json(value(probes.get(1))));
        assertThat(healthy.keySet()).containsExactlyInAnyOrder(Channel.SEND_HTTP, Channel.SEND_KAFKA);
        assertThat(healthy.get(Channel.SEND_HTTP).path("text").asString())
                .as("line breaks pass in text")
                .contains("\t")
                .contains("\r\n");
        assertThat(healthy.get(Channel.SEND_KAFKA).path("schemaVersion").asInt())
                .isEqualTo(1);
        for (Probe p : probes) {
            if (p.healthy() || p.kind().equals("not JSON")) {
                continue;
            }
            JsonNode poison = json(value(p));
            JsonNode twin = healthy.get(p.channel());
            Set<String> differing = new HashSet<>();
            for (String field : List.of("from", "to", "subject", "html", "text", "tags", "schemaVersion")) {
                if (!poison.path(field).equals(twin.path(field))) {
                    differing.add(field);
                }
            }
            assertThat(differing).as(p.kind()).containsExactly(p.field());
        }
    }

    @Test
    void sendFaultsBreakTheContractsRules() {
        Map<String, Probe> http = new HashMap<>();
        new PoisonSends(webhooks, "token")
                .probes(0).stream()
                        .filter(p -> p.channel() == Channel.SEND_HTTP)
                        .forEach(p -> http.put(p.kind(), p));
        assertThat(http.keySet()).hasSize(PoisonSends.FAULTS.size());
        assertThat(json(value(http.get("subject of 999"))).path("subject").asString())
                .hasSize(WireText.SUBJECT_MAX + 1);
        assertThat(json(value(http.get("to of 321"))).path("to").get(0).asString())
                .hasSize(WireText.ADDRESS_MAX + 1);
        assertThat(json(value(http.get("from of 321"))).path("from").asString()).hasSize(WireText.ADDRESS_MAX + 1);
        String subject = json(value(http.get("lone surrogate in subject")))
                .path("subject")
                .asString();
        assertThat(WireText.firstForbidden(subject, true))
                .as("a lone surrogate, read back")
                .isEqualTo(3);
        assertThat(new String(value(http.get("NUL in subject")), StandardCharsets.UTF_8))
                .contains("\\u0000");
        assertThat(http.values()).allSatisfy(p -> assertThat(p.statuses()).containsExactly(400));
    }

    @Test
    void everyWebhookIsSignedAsSvixWouldAndTheOverLongIdsAre129() throws Exception {
        List<Probe> probes = new PoisonWebhooks(webhooks).probes(webhooks.activities("h", 2, false));
        Webhook verifier = new Webhook(StackConfig.DEV_WEBHOOK_SECRETS);
        for (Probe p : probes) {
            Map<String, String> h = p.request().headers();
            verifier.verify(
                    new String(p.request().body(), StandardCharsets.UTF_8),
                    Map.of(
                            "svix-id",
                            List.of(h.get("svix-id")),
                            "svix-timestamp",
                            List.of(h.get("svix-timestamp")),
                            "svix-signature",
                            List.of(h.get("svix-signature"))));
            assertThat(p.id()).isEqualTo("resend:" + h.get("svix-id"));
        }
        Probe longSvixId = probes.stream()
                .filter(p -> p.kind().startsWith("svix-id"))
                .findFirst()
                .orElseThrow();
        assertThat(longSvixId.request().headers().get("svix-id")).hasSize(129);
        Probe longEmailId = probes.stream()
                .filter(p -> p.kind().startsWith("email_id"))
                .findFirst()
                .orElseThrow();
        assertThat(json(value(longEmailId)).path("data").path("email_id").asString())
                .hasSize(129);
        assertThat(probes.stream().filter(p -> p.expect() == Expect.CLEANED)).hasSize(PoisonWebhooks.CLEANED.size());
        Probe surrogate = probes.stream()
                .filter(p -> p.kind().equals("lone surrogate in click link"))
                .findFirst()
                .orElseThrow();
        String link =
                json(value(surrogate)).path("data").path("click").path("link").asString();
        assertThat(WireText.firstForbidden(link, false)).isPositive();
        assertThat(probes.stream()
                        .filter(Probe::receivedTime)
                        .map(p -> json(value(p)).path("created_at").asString()))
                .containsExactlyInAnyOrder(
                        "0001-01-01T00:00:00.000Z", "+99999-01-01T00:00:00.000Z", "99999-01-01T00:00:00.000Z");
    }

    @Test
    void rogueEventsAreKeyedByTheirOwnActivityAndEachIsPoisonForItsOwnReason() {
        List<EmailEvent> healthy = Events.distinct("h-", 2, Instant.now());
        List<Probe> probes = PoisonEvents.probes(healthy, webhooks);
        assertThat(probes).allSatisfy(p -> assertThat(p.record().topic()).isEqualTo(Topics.EVENTS));
        assertThat(probes.stream()
                        .map(p -> p.record().key())
                        .filter(k -> k.startsWith("t1-pep-"))
                        .distinct())
                .hasSize(PoisonEvents.FAULTS.size() + PoisonEvents.UNREADABLE.size());
        for (Probe p : probes) {
            switch (p.kind()) {
                case Probe.HEALTHY ->
                    assertThat(WireJson.read(value(p), EmailEvent.class).eventId())
                            .isEqualTo(p.id());
                case "truncated JSON", "not JSON" ->
                    assertThatThrownBy(() -> WireJson.read(value(p), EmailEvent.class), p.kind());
                case "unknown schemaVersion" ->
                    assertThat(WireJson.read(value(p), EmailEvent.class).schemaVersion())
                            .isGreaterThan(EmailEvent.SCHEMA_VERSION);
                default ->
                    assertThat(new String(value(p), StandardCharsets.UTF_8))
                            .as(p.kind())
                            .contains("\\u0000");
            }
        }
    }

    @Test
    void validHitsCarryTokensTheIngestVerifiesForTheirOwnActivityAndInvalidOnesDoNot() {
        List<Probe> probes = new PoisonHits(webhooks, StackConfig.DEV_TRACKING_KEYS).probes(1);
        TrackingTokenCodec ingest = new TrackingTokenCodec(TrackingKeys.parse(StackConfig.DEV_TRACKING_KEYS));
        assertThat(probes.stream().map(Probe::id).distinct())
                .as("one token per hit: no rate limit applies")
                .hasSize(probes.size());
        for (Probe p : probes) {
            String path = p.request().path();
            // /t/o/<token>.gif or /t/c/<token>
            var decoded = ingest.decode(path.substring(5).replace(".gif", ""));
            if (p.kind().contains("token")) {
                assertThat(decoded).as(p.kind()).isEmpty();
            } else {
                assertThat(decoded).as(p.kind()).map(TrackingToken::activityId).contains(p.id());
                assertThat(decoded.orElseThrow().kind())
                        .isEqualTo(path.startsWith("/t/c/") ? TrackingToken.Kind.CLICK : TrackingToken.Kind.OPEN);
            }
        }
        assertThat(probes.stream().filter(p -> p.kind().endsWith("TAB in user agent")))
                .allSatisfy(
                        p -> assertThat(p.request().headers().get("User-Agent")).contains("\t"));
    }
}
