package dev.ringfork.ipc.internal;

import dev.ringfork.core.internal.ProcessIdentity;
import dev.ringfork.core.memory.RegionException;
import dev.ringfork.core.memory.RegionExistsException;
import dev.ringfork.core.memory.RegionNotFoundException;
import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Creates the regions Ringfork names after its own process (pools, their workers, shared segments, the
 * command line's runs) so that a crashed predecessor cannot block them. A name carries this JVM's pid and
 * start time, {@code <prefix>-<pid>-<start>-<n>}, so a later JVM that is given the same pid picks other
 * names; and a file found under a name anyway is replaced if the process its header records as creator
 * (pid and start time) is gone: a crash left it behind. A file of a live creator is never touched.
 */
public final class FreshRegions {

    private static final System.Logger LOG = System.getLogger(FreshRegions.class.getName());
    /** How long to wait for a file in the way to be readable before leaving it alone. */
    private static final Duration PEEK_TIMEOUT = Duration.ofMillis(200);
    private static final int ATTEMPTS = 100;
    private static final Map<String, AtomicLong> COUNTERS = new ConcurrentHashMap<>();

    private FreshRegions() {
    }

    /**
     * A new region named {@code <prefix>-<pid>-<start time>-<n>}, n counting from 1 per prefix in this
     * JVM; a name held by a live creator (another pid namespace sharing the directory) is skipped.
     */
    public static SharedRegion createUnique(String prefix, RegionOptions options) {
        ProcessIdentity self = ProcessIdentity.current();
        AtomicLong counter = COUNTERS.computeIfAbsent(prefix, p -> new AtomicLong());
        for (int attempt = 1; ; attempt++) {
            String name = prefix + "-" + self.pid() + "-" + self.startTime() + "-" + counter.incrementAndGet();
            try {
                return create(name, options);
            } catch (RegionExistsException taken) {
                if (attempt == ATTEMPTS) {
                    throw taken;
                }
            }
        }
    }

    /**
     * Creates region {@code name}; a region of that name whose creator is dead is deleted first.
     *
     * @throws RegionExistsException if a region of that name exists and its creator lives (or it cannot be read)
     */
    public static SharedRegion create(String name, RegionOptions options) {
        for (int attempt = 1; ; attempt++) {
            try {
                return SharedRegion.create(name, options);
            } catch (RegionExistsException e) {
                if (attempt == 3 || !removeIfStale(name, options)) {
                    throw e;
                }
            }
        }
    }

    /** Deletes region {@code name} if its creator is dead; true if it is gone now. */
    private static boolean removeIfStale(String name, RegionOptions options) {
        long creator;
        try (SharedRegion existing = SharedRegion.open(name, options.withOpenTimeout(PEEK_TIMEOUT))) {
            if (existing.isCreatorAlive()) {
                return false;
            }
            creator = existing.creatorPid();
        } catch (RegionNotFoundException gone) {
            return true;
        } catch (RegionException unreadable) {
            return false; // damaged or not a region: not ours to delete
        }
        // Processes that still map it (a dying predecessor's workers) keep their mapping of the old file.
        SharedRegion.unlink(name, options);
        LOG.log(System.Logger.Level.INFO, "region " + name + " in " + options.directory() + " was left by pid " + creator
                + ", which is gone: replaced it");
        return true;
    }
}
