package dev.mailtrail.ingest.client;

/**
 * A conservative estimate of the heap a value takes, for the caches and buffers bounded in bytes. Measuring the
 * real layout (JOL, an instrumentation agent) would walk object graphs at a cost far above the hit it accounts
 * for; this over-counts instead: every string as two bytes a char (compact strings use one) plus its headers.
 */
public final class Footprint {

    /** An object with a few references and primitives, its header included. */
    public static final long OBJECT = 48;
    /** A String and its array: two headers, the hash, the coder, alignment. */
    private static final long STRING = 56;

    private Footprint() {}

    public static long of(String value) {
        return value == null ? 0 : STRING + 2L * value.length();
    }

    /** As a Caffeine weight. */
    public static int weight(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}
