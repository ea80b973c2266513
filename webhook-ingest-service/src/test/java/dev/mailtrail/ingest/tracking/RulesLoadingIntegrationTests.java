package dev.mailtrail.ingest.tracking;

import static dev.mailtrail.ingest.EventsTopic.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.EmailEvent;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.events.tracking.TrackingTokenCodec;
import dev.mailtrail.ingest.EventsTopic;
import dev.mailtrail.ingest.client.Classifiers;
import dev.mailtrail.ingest.client.ClientClassifier;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.CompletableFuture;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.context.EmbeddedKafka;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.bean.override.convention.TestBean;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Right after a start YAUAA's user-agent rules take seconds to load. Tracking hits that need them are answered
 * at once all the same, wait in the buffer, and are classified and published once the rules are there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@AutoConfigureWebTestClient(timeout = "30s") // a loaded 2-core CI machine can take more than the default 5 s
@EmbeddedKafka(partitions = 1, bootstrapServersProperty = "spring.kafka.bootstrap-servers")
@DirtiesContext
class RulesLoadingIntegrationTests {

    /** Completed by the test, not by a loader: the rules are "loading" until then. */
    static final CompletableFuture<UserAgentAnalyzer> RULES = new CompletableFuture<>();

    @TestBean
    ClientClassifier clientClassifier;

    static ClientClassifier clientClassifier() {
        return Classifiers.loading(RULES);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    TrackingTokenCodec codec;

    @Autowired
    EmbeddedKafkaBroker broker;

    @Autowired
    MeterRegistry meters;

    @Test
    void hitsAreAnsweredWhileTheRulesLoadAndClassifiedOnceTheyHave() {
        String pixel = codec.encode(TrackingToken.open("act-rules-open", "t-1"));
        String link = codec.encode(TrackingToken.click("act-rules-click", "t-1", 0, "https://acme.test/offer"));

        // a browser agent from an ordinary network: only YAUAA's rules can tell whether it is a robot
        http.get()
                .uri("/t/o/{token}.gif", pixel)
                .header(HttpHeaders.USER_AGENT, Classifiers.CHROME)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(Void.class);
        http.get()
                .uri("/t/c/{token}", link)
                .header(HttpHeaders.USER_AGENT, Classifiers.CHROME)
                .exchange()
                .expectStatus()
                .isFound()
                .expectHeader()
                .location("https://acme.test/offer");
        assertThat(meters.get("mailtrail.tracking.buffered").gauge().value()).isEqualTo(2);

        RULES.complete(UserAgentAnalyzer.newBuilder()
                .hideMatcherLoadStats()
                .withField(UserAgent.AGENT_CLASS)
                .build());

        EventsTopic topic = EventsTopic.events(broker.getBrokersAsString());
        EmailEvent open = event(topic.awaitActivity("act-rules-open"));
        EmailEvent click = event(topic.awaitActivity("act-rules-click"));
        assertThat(open.classification()).isEqualTo(Classification.HUMAN);
        assertThat(click.classification()).isEqualTo(Classification.HUMAN);
    }
}
