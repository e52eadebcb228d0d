package dev.ringfork.ipc.internal.pool;

import java.util.concurrent.TimeUnit;

/**
 * What a closing pool does about maps that keep it running ({@link MapJob#checkAbandoned}): cancels those
 * nobody can read any more, and, while some are quiet but their reader thread lives, asks the JVM for a
 * collection (every 2 s at first, backing off to a minute) so that the cleaner finds results that were
 * dropped without closing, such as {@code pool.imap(f, xs).stream().limit(3).toList()} in another thread.
 * Used by the dispatcher thread only.
 */
final class AbandonedMaps {

    private static final System.Logger LOG = System.getLogger(AbandonedMaps.class.getName());
    /** How long a map's reader must have been quiet, with nothing of the map left to compute, before it counts. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long MAX_COLLECTION_GAP_NANOS = TimeUnit.SECONDS.toNanos(64);

    private final PoolEngine engine;
    private long collectionGap = GRACE_NANOS;
    private long nextCollection;
    private boolean collectionPlanned;

    AbandonedMaps(PoolEngine engine) {
        this.engine = engine;
    }

    /** One look at every active map; called in each round of the dispatcher while the pool closes. */
    void sweep() {
        long now = System.nanoTime();
        boolean held = false;
        for (Job job : engine.activeJobs()) {
            if (job instanceof MapJob<?> map) {
                switch (map.checkAbandoned(now, GRACE_NANOS, engine::isClosing)) {
                    case CANCELLED -> {
                        LOG.log(System.Logger.Level.INFO, "the pool is closing and a map's reader can no longer read it"
                                + " (it ended, or it waits in close()): cancelled it (close the results you stop reading)");
                        engine.jobEnded(map);
                    }
                    case HELD -> held = true;
                    case READING -> { }
                }
            }
        }
        if (held) {
            collectIfDue(now);
        }
    }

    /** Asks for a collection once per gap, doubling the gap each time: the cleaner then closes dropped results. */
    private void collectIfDue(long now) {
        if (!collectionPlanned) {
            collectionPlanned = true;
            nextCollection = now; // the maps were quiet for the grace period already
        }
        if (now - nextCollection >= 0) {
            System.gc(); // a results handle nobody holds becomes phantom-reachable: its cleaner ends the map
            nextCollection = now + collectionGap;
            collectionGap = Math.min(2 * collectionGap, MAX_COLLECTION_GAP_NANOS);
        }
    }
}
