package dev.mailtrail.ingest.tracking;

/** One classifier per test JVM: YAUAA takes seconds to load its rules. */
public final class Classifiers {

    /** The agent cache's default bound (application.yml). */
    public static final long AGENT_CACHE_BYTES = 8L << 20;

    /** A few lines of Apple's egress-ip-ranges.csv, as published (the whole file is ~12 MB: not shipped). */
    public static final String RELAY_SAMPLE = "src/test/resources/tracking/egress-ip-ranges-sample.csv";

    private static ClientClassifier shared;

    private Classifiers() {
    }

    /** With the shipped networks and the sample relay ranges. */
    public static synchronized ClientClassifier shared() {
        if (shared == null) {
            shared = new ClientClassifier(TrackingConfiguration.networks(null), relaySample(),
                    AGENT_CACHE_BYTES);
        }
        return shared;
    }

    public static RelayRanges relaySample() {
        return TrackingConfiguration.relayRanges(RELAY_SAMPLE);
    }
}
