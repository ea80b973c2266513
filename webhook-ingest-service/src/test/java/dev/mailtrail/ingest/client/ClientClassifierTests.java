package dev.mailtrail.ingest.client;

import static dev.mailtrail.ingest.client.Classifiers.CHROME;
import static dev.mailtrail.ingest.client.Classifiers.SAFARI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailtrail.events.Classification;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.ingest.proxy.IpBlocks;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientClassifierTests {

    static final String HOME_IP = "203.0.113.7";

    final ClientClassifier classifier = Classifiers.shared();

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "apple mpp agent exactly Mozilla/5.0 | Mozilla/5.0 | " + HOME_IP + " | machine | apple_mpp",
                "apple mpp webkit without Safari | Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) | "
                        + HOME_IP + " | machine | apple_mpp",
                "apple network | " + SAFARI + " | 17.58.1.2 | machine | apple_mpp",
                "gmail image proxy is a person opening | Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy) | 66.249.84.1 | human | gmail_image_proxy",
                "gmail delivery-time bot | Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246 Mozilla/5.0 | 66.249.84.1 | machine | gmail_delivery_bot",
                "microsoft defender network with a browser agent | " + CHROME
                        + " | 40.107.22.5 | machine | scanner_network",
                "microsoft defender ipv6 | " + CHROME + " | 2a01:111:f400::1 | machine | scanner_network",
                "curl | curl/8.5.0 | " + HOME_IP + " | machine | scanner_agent",
                "python requests | python-requests/2.31 | " + HOME_IP + " | machine | scanner_agent",
                "barracuda | Mozilla/5.0 Barracuda Sentinel | " + HOME_IP + " | machine | scanner_agent",
                "googlebot | Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html) | " + HOME_IP
                        + " | machine | scanner_agent",
                "a person in safari | " + SAFARI + " | " + HOME_IP + " | human | ",
                "a person in chrome | " + CHROME + " | " + HOME_IP + " | human | ",
                "outlook desktop | Mozilla/4.0 (compatible; ms-office; MSOffice 16) | " + HOME_IP + " | human | "
            })
    void classifiesByAgentAndNetwork(String name, String agent, String ip, String expected, String reason) {
        ClientClassifier.Verdict verdict = classifier.classify(ClientHit.get(agent, ip), TrackingToken.Kind.OPEN);

        assertThat(verdict.classification().wire()).isEqualTo(expected);
        if (reason != null) {
            assertThat(verdict.reasons()).containsExactly(reason);
        }
    }

    @Test
    void headRequestsAndPrefetchHintsAreMachines() {
        assertThat(open(new ClientHit("HEAD", CHROME, HOME_IP, Map.of())).reasons())
                .containsExactly("head_request");
        assertThat(open(new ClientHit("GET", CHROME, HOME_IP, Map.of("sec-purpose", "prefetch;prerender"))))
                .isEqualTo(new ClientClassifier.Verdict(Classification.MACHINE, List.of("prefetch_header")));
        assertThat(open(new ClientHit("GET", CHROME, HOME_IP, Map.of("x-moz", "prefetch")))
                        .classification())
                .isEqualTo(Classification.MACHINE);
    }

    @Test
    void aMissingAgentIsAMachine() {
        assertThat(open(ClientHit.get(null, HOME_IP)).reasons()).containsExactly("empty_agent");
        assertThat(open(ClientHit.get("  ", HOME_IP)).reasons()).containsExactly("empty_agent");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "172.224.226.5, London /27",
        "172.224.226.33, Aberdeen /31",
        "104.28.88.144, a single address /32",
        "2a02:26f7:b3c0:4000::1, Los Angeles /64",
        "2a09:bac0:1000:7::1, inside the Warsaw /45",
        "2a09:bac0:1000:10::1, the nested Krakow /64"
    })
    void aPixelLoadFromPrivateRelayEgressIsAMachineAndAClickFromThereAPerson(String ip, String range) {
        assertThat(open(ClientHit.get(SAFARI, ip)))
                .isEqualTo(new ClientClassifier.Verdict(Classification.MACHINE, List.of("apple_private_relay")));
        assertThat(click(ClientHit.get(SAFARI, ip)).classification()).isEqualTo(Classification.HUMAN);
    }

    @ParameterizedTest
    @CsvSource({"172.224.226.36", "172.224.225.255", "104.28.88.145", "2a02:26f7:b3c0:4001::1", "2a09:bac0:1008::1"})
    void aPixelLoadJustOutsideTheRelayRangesIsAPerson(String ip) {
        assertThat(open(ClientHit.get(SAFARI, ip)).classification()).isEqualTo(Classification.HUMAN);
    }

    @Test
    void aRelayedClickIsStillJudgedByItsAgent() {
        assertThat(click(ClientHit.get("curl/8.5.0", "172.224.226.5")).reasons())
                .containsExactly("scanner_agent");
        assertThat(click(new ClientHit("HEAD", SAFARI, "2a02:26f7:b3c0:4000::1", Map.of()))
                        .reasons())
                .containsExactly("head_request");
        // the agent rules come first: Mail Privacy Protection's own agent keeps its own reason
        assertThat(open(ClientHit.get("Mozilla/5.0", "172.224.226.5")).reasons())
                .containsExactly("apple_mpp");
    }

    @Test
    void aReplacementNetworksFileIsValidatedLineByLine() {
        String bad = "10.0.0.0/8 lab\nnot-a-network reason\n";

        assertThatThrownBy(
                        () -> Networks.read(new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)), "nets.txt"))
                .hasMessageContaining("nets.txt:2");
        Networks lab = Networks.read(
                new ByteArrayInputStream("10.0.0.0/8 lab # ours\n10.9.0.0/16 inner\n".getBytes(StandardCharsets.UTF_8)),
                "x");
        assertThat(lab.reasonFor(IpBlocks.address("10.1.2.3"))).contains("lab");
        assertThat(lab.reasonFor(IpBlocks.address("10.9.2.3"))).contains("inner");
        assertThat(lab.reasonFor(IpBlocks.address("11.1.2.3"))).isEmpty();
        assertThat(lab.reasonFor(IpBlocks.address("garbage"))).isEmpty();
    }

    private ClientClassifier.Verdict open(ClientHit hit) {
        return classifier.classify(hit, TrackingToken.Kind.OPEN);
    }

    private ClientClassifier.Verdict click(ClientHit hit) {
        return classifier.classify(hit, TrackingToken.Kind.CLICK);
    }
}
