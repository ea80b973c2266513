package dev.mailtrail.ingest.client;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.mailtrail.events.Classification;
import dev.mailtrail.events.tracking.TrackingToken;
import dev.mailtrail.ingest.proxy.IpBlocks;
import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * Human, machine or unknown for one hit, with the reasons (see docs/tracking.md).
 * Label, don't drop: every hit is kept; what is counted as engagement is decided from the label.
 * Context the edge cannot see (bursts, time since delivery) is the projection's to add.
 */
public class ClientClassifier {

    public record Verdict(Classification classification, List<String> reasons) {
        static Verdict machine(String reason) {
            return new Verdict(Classification.MACHINE, List.of(reason));
        }

        static Verdict human(String reason) {
            return new Verdict(Classification.HUMAN, reason == null ? List.of() : List.of(reason));
        }
    }

    /** Gmail's bot that fetches at delivery, from Google's network, before anyone reads. */
    static final String GMAIL_DELIVERY_BOT = "Chrome/42.0.2311.135 Safari/537.36 Edge/12.246 Mozilla/5.0";

    private static final Pattern PREFETCH = Pattern.compile("prefetch|preview|prerender", Pattern.CASE_INSENSITIVE);
    private static final Pattern SCANNER_MARKERS = Pattern.compile(
            "bot|spider|crawl|curl/|wget/|python-requests|"
                    + "go-http-client|okhttp|java/|headless|phantomjs|preview|safelinks|urldefense|barracuda|mimecast|"
                    + "proofpoint",
            Pattern.CASE_INSENSITIVE);
    /** YAUAA's agent classes that are not a person at a mail client or browser. */
    private static final Set<String> MACHINE_AGENT_CLASSES =
            Set.of("Robot", "Robot Mobile", "Robot Imitator", "Cloud Application", "Hacker", "Testclient");

    private final Networks networks;
    private final RelayRanges relay;
    /** YAUAA takes seconds to load its rules: load them beside start-up, not in its way. */
    private final CompletableFuture<UserAgentAnalyzer> agents;
    /**
     * Agent → YAUAA's agent class. Ours rather than YAUAA's own cache, which is bounded in entries and keeps whole
     * parse results: every hit may bring a new agent, so this one is bounded in bytes.
     */
    private final Cache<String, String> agentClasses;

    /** @param agentCacheBytes what the agent → class cache may hold */
    public ClientClassifier(Networks networks, RelayRanges relay, long agentCacheBytes) {
        this(
                networks,
                relay,
                agentCacheBytes,
                CompletableFuture.supplyAsync(
                        () -> UserAgentAnalyzer.newBuilder()
                                .hideMatcherLoadStats()
                                .withoutCache()
                                .withField(UserAgent.AGENT_CLASS)
                                .immediateInitialization()
                                .build(),
                        runnable -> {
                            Thread loader = new Thread(runnable, "yauaa-loader");
                            loader.setDaemon(true);
                            loader.start();
                        }));
    }

    /** With the user-agent rules as they load: tests hold them back to show hits do not wait for them. */
    ClientClassifier(
            Networks networks, RelayRanges relay, long agentCacheBytes, CompletableFuture<UserAgentAnalyzer> agents) {
        this.networks = networks;
        this.relay = relay;
        this.agents = agents;
        this.agentClasses = Caffeine.newBuilder()
                .maximumWeight(agentCacheBytes)
                // the class is one of YAUAA's few constant values: the agent is what weighs
                .weigher((String agent, String agentClass) -> Footprint.weight(Footprint.OBJECT + Footprint.of(agent)))
                .build();
    }

    /** Whether the user-agent rules have loaded: until then a classification that needs them waits. */
    public boolean rulesLoaded() {
        return agents.isDone();
    }

    /** {@code kind}: a pixel load or a link follow (from Private Relay egress: a machine's, a person's). */
    public Verdict classify(ClientHit hit, TrackingToken.Kind kind) {
        if ("HEAD".equalsIgnoreCase(hit.method())) {
            return Verdict.machine("head_request");
        }
        if (hit.hints().values().stream().anyMatch(v -> PREFETCH.matcher(v).find())) {
            return Verdict.machine("prefetch_header");
        }
        String agent = hit.userAgent() == null ? "" : hit.userAgent().trim();
        if (agent.isEmpty()) {
            return Verdict.machine("empty_agent");
        }
        // Gmail's proxy fetches when the person opens: filtering it hides every Gmail open (mautic#16069)
        if (agent.contains("GoogleImageProxy")) {
            return Verdict.human("gmail_image_proxy");
        }
        if (agent.endsWith(GMAIL_DELIVERY_BOT)) {
            return Verdict.machine("gmail_delivery_bot");
        }
        if (isAppleMailPrivacyProtection(agent)) {
            return Verdict.machine("apple_mpp");
        }
        IPAddress address = IpBlocks.address(hit.ip());
        var network = networks.reasonFor(address);
        if (network.isPresent()) {
            return Verdict.machine(network.get());
        }
        // Mail Privacy Protection loads images through Private Relay, read or not; a click from relay egress is a
        // person browsing with Private Relay on
        if (kind == TrackingToken.Kind.OPEN && relay.contains(address)) {
            return Verdict.machine("apple_private_relay");
        }
        if (SCANNER_MARKERS.matcher(agent).find()) {
            return Verdict.machine("scanner_agent");
        }
        String agentClass = agentClasses.get(agent, a -> agents.join().parse(a).getValue(UserAgent.AGENT_CLASS));
        if (MACHINE_AGENT_CLASSES.contains(agentClass)) {
            return Verdict.machine("robot_agent");
        }
        return Verdict.human(null);
    }

    /** Exactly "Mozilla/5.0", or WebKit ending at "(KHTML, like Gecko)" with no Version/… Safari/… after it. */
    static boolean isAppleMailPrivacyProtection(String agent) {
        if (agent.equals("Mozilla/5.0")) {
            return true;
        }
        String lower = agent.toLowerCase(Locale.ROOT);
        return lower.contains("applewebkit") && lower.endsWith("(khtml, like gecko)");
    }
}
