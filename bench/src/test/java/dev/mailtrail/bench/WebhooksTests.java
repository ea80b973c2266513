package dev.mailtrail.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.svix.Webhook;
import dev.mailtrail.events.WireJson;
import dev.mailtrail.localstack.StackConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class WebhooksTests {

    private final Webhooks webhooks = new Webhooks(StackConfig.DEV_WEBHOOK_SECRETS, "t1");

    @Test
    void theLifecyclesCoverEveryTypeResendSendsAboutAnEmail() {
        Set<String> types = Webhooks.LIFECYCLES.stream().flatMap(List::stream).collect(Collectors.toSet());
        assertThat(types)
                .containsExactlyInAnyOrder(
                        "email.scheduled",
                        "email.sent",
                        "email.delivered",
                        "email.delivery_delayed",
                        "email.opened",
                        "email.clicked",
                        "email.bounced",
                        "email.complained",
                        "email.failed",
                        "email.suppressed");
    }

    @Test
    void everyWebhookIsDistinctAndSignedWithTheDevSecretAsSvixWouldVerifyIt() throws Exception {
        List<Webhooks.Webhook> batch = webhooks.activities("x", 16, true);
        assertThat(batch.stream().map(Webhooks.Webhook::svixId).distinct()).hasSize(batch.size());
        Webhook verifier = new Webhook(StackConfig.DEV_WEBHOOK_SECRETS);
        for (Webhooks.Webhook w : batch) {
            Map<String, String> headers =
                    webhooks.headers(w, java.time.Instant.now().getEpochSecond());
            verifier.verify(
                    w.body(),
                    Map.of(
                            "svix-id",
                            List.of(headers.get("svix-id")),
                            "svix-timestamp",
                            List.of(headers.get("svix-timestamp")),
                            "svix-signature",
                            List.of(headers.get("svix-signature"))));
            JsonNode body = WireJson.mapper().readTree(w.body());
            assertThat(body.path("type").asString()).isEqualTo(w.type());
            if (w.recognized()) {
                assertThat(w.body()).contains("\"" + w.activityId() + "\"").contains("em-" + w.activityId());
                assertThat(body.path("data").path("tags").toString()).contains(Webhooks.TENANT);
            }
        }
    }

    @Test
    void activitiesAreNumberedOnAcrossCallsAndComeWhole() {
        List<Webhooks.Webhook> first = webhooks.atLeast("y", 10, false);
        List<Webhooks.Webhook> second = webhooks.activities("y", 1, false);
        assertThat(first).hasSizeGreaterThanOrEqualTo(10);
        assertThat(first.get(0).position()).isZero();
        int lastActivity = first.get(first.size() - 1).activityIndex();
        long webhooksOfLast =
                first.stream().filter(w -> w.activityIndex() == lastActivity).count();
        assertThat(webhooksOfLast)
                .isEqualTo(Webhooks.LIFECYCLES
                        .get(lastActivity % Webhooks.LIFECYCLES.size())
                        .size());
        assertThat(second.get(0).activityIndex()).isEqualTo(lastActivity + 1);
    }

    @Test
    void unmodelledTypesAreMixedInWhenAsked() {
        List<Webhooks.Webhook> batch = webhooks.atLeast("z", 500, true);
        Set<String> unrecognized = new HashSet<>();
        batch.stream().filter(w -> !w.recognized()).forEach(w -> unrecognized.add(w.type()));
        assertThat(unrecognized).containsExactlyInAnyOrderElementsOf(Webhooks.UNRECOGNIZED);
        assertThat(batch.stream().filter(w -> !w.recognized()).count())
                .isBetween(batch.size() / 60L, batch.size() / 40L);
    }
}
