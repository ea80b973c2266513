package dev.mailtrail.ingest.tracking;

/** One classifier per test JVM: YAUAA takes seconds to load its rules. */
public final class Classifiers {

    private static ClientClassifier shared;

    private Classifiers() {
    }

    public static synchronized ClientClassifier shared() {
        if (shared == null) {
            shared = new ClientClassifier(TrackingConfiguration.networks(null));
        }
        return shared;
    }
}
