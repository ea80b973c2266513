package dev.mailtrail.ingest.client;

import java.util.concurrent.CompletableFuture;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/** One classifier per test JVM: YAUAA takes seconds to load its rules. */
public final class Classifiers {

    /** The agent cache's default bound (application.yml). */
    public static final long AGENT_CACHE_BYTES = 8L << 20;

    /** A few lines of Apple's egress-ip-ranges.csv, as published (the whole file is ~12 MB: not shipped). */
    public static final String RELAY_SAMPLE = "src/test/resources/tracking/egress-ip-ranges-sample.csv";

    public static final String SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.1 Safari/605.1.15";
    public static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static ClientClassifier shared;

    private Classifiers() {}

    /** With the shipped networks and the sample relay ranges. */
    public static synchronized ClientClassifier shared() {
        if (shared == null) {
            shared = new ClientClassifier(Networks.load(null), relaySample(), AGENT_CACHE_BYTES);
        }
        return shared;
    }

    /** With the shipped networks and no relay ranges, its agent rules what {@code rules} completes with. */
    public static ClientClassifier loading(CompletableFuture<UserAgentAnalyzer> rules) {
        return new ClientClassifier(Networks.load(null), RelayRanges.none(), AGENT_CACHE_BYTES, rules);
    }

    public static RelayRanges relaySample() {
        return RelayRanges.load(RELAY_SAMPLE);
    }
}
