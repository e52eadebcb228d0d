package dev.ringfork.ipc.internal.pool;

/**
 * How many items go into the next chunk. A fixed size if the user chose one; otherwise enough items for
 * about {@link #TARGET_NANOS} of work, learned from the compute times workers report, so that cheap
 * functions travel in large chunks (the per-message cost is amortised) and expensive ones in small
 * chunks (all workers stay busy). When the source's size is known, no chunk is larger than a quarter of
 * one worker's share.
 */
final class ChunkSizer {

    static final long TARGET_NANOS = 2_000_000;
    static final int MAX_AUTO = 4096;
    static final int FIRST_AUTO = 16;

    private final int fixed;
    private final int cap;
    private volatile double nanosPerItem = -1;

    /**
     * @param fixed     the user's chunk size, or 0 for automatic
     * @param knownSize the number of items if known, else -1
     * @param workers   worker count
     */
    ChunkSizer(int fixed, long knownSize, int workers) {
        this.fixed = fixed;
        this.cap = knownSize < 0 ? MAX_AUTO : (int) Math.max(1, Math.min(MAX_AUTO, knownSize / (4L * workers) + 1));
    }

    int next() {
        if (fixed > 0) {
            return fixed;
        }
        double perItem = nanosPerItem;
        if (perItem < 0) {
            return Math.min(FIRST_AUTO, cap);
        }
        long items = perItem <= 0 ? cap : (long) (TARGET_NANOS / perItem);
        return (int) Math.max(1, Math.min(cap, items));
    }

    /** Learned compute time per item, or -1 before the first answer. */
    double nanosPerItem() {
        return nanosPerItem;
    }

    /**
     * How many chunks of {@code items} items make about {@code nanos} of work, between {@code min} and
     * {@code max} ({@code min} while nothing is learned yet).
     */
    int chunksFor(long nanos, int items, int min, int max) {
        double perItem = nanosPerItem;
        if (perItem < 0) {
            return min;
        }
        double chunkNanos = Math.max(1.0, perItem * Math.max(1, items));
        return (int) Math.max(min, Math.min(max, nanos / chunkNanos));
    }

    /** A worker took {@code nanos} for {@code items} items. */
    void learn(int items, long nanos) {
        if (items == 0) {
            return;
        }
        double sample = (double) nanos / items;
        double old = nanosPerItem;
        nanosPerItem = old < 0 ? sample : 0.7 * old + 0.3 * sample;
    }
}
