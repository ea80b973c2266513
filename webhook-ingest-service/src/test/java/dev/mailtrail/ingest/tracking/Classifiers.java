package dev.mailtrail.ingest.tracking;

/** One classifier per test JVM: YAUAA takes seconds to load its rules. */
public final class Classifiers {

    /** The agent cache's default bound (application.yml). */
    public static final long AGENT_CACHE_BYTES = 8L << 20;

    private static ClientClassifier shared;

    private Classifiers() {
    }

    public static synchronized ClientClassifier shared() {
        if (shared == null) {
            shared = new ClientClassifier(TrackingConfiguration.networks(null), AGENT_CACHE_BYTES);
        }
        return shared;
    }
}
