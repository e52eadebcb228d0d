package dev.ringfork.ipc.internal;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The regions this process mapped for {@code SharedSegment} refs, each mapped once, and who still needs
 * them. A pool worker's task thread runs each job's tasks in a scope ({@link #enter}, {@link #leave}): a
 * region that thread maps is counted for the job, and when the job ends ({@link #end}) the regions that no
 * other open scope uses are unmapped, so tmpfs memory is not held for the worker's life. A region mapped
 * outside any scope (in the parent, an initializer, or any other thread, such as a thread of its own or a
 * parallel stream's helper, even while a task runs) stays mapped until the segment is closed in this
 * process ({@link #forget}) or the process ends. Thread-safe.
 */
public final class SegmentMappings {

    private static final Object LOCK = new Object();
    /** Mapped regions by file; changed under LOCK, read without it. */
    private static final Map<String, SharedRegion> MAPPED = new ConcurrentHashMap<>();
    /** Guarded by LOCK: the files each open scope used. */
    private static final Map<Long, Set<String>> SCOPES = new HashMap<>();
    /** Guarded by LOCK: files used outside any scope, never unmapped by a scope's end. */
    private static final Set<String> PINNED = new HashSet<>();
    /** The scope the calling thread runs tasks in, if any: set by the worker's task thread for itself only. */
    private static final ThreadLocal<Long> CURRENT = new ThreadLocal<>();

    private SegmentMappings() {
    }

    /** Region {@code name} in {@code directory}, mapped on first use and counted for the current scope. */
    public static SharedRegion map(String directory, String name) {
        String key = key(directory, name);
        synchronized (LOCK) {
            SharedRegion mapped = MAPPED.computeIfAbsent(key,
                    k -> SharedRegion.open(name, RegionOptions.defaults().withDirectory(Path.of(directory))));
            Long scope = CURRENT.get();
            if (scope == null) {
                PINNED.add(key);
            } else {
                SCOPES.computeIfAbsent(scope, s -> new HashSet<>()).add(key);
            }
            return mapped;
        }
    }

    /** The calling thread runs tasks of scope {@code scope} (a job, or a call) from here. */
    public static void enter(long scope) {
        CURRENT.set(scope);
    }

    /** The calling thread runs no task any more until its next {@link #enter}. */
    public static void leave() {
        CURRENT.remove();
    }

    /** Scope {@code scope} ended (its job will run no more tasks here): unmaps what only it used. */
    public static void end(long scope) {
        synchronized (LOCK) {
            Set<String> used = SCOPES.remove(scope);
            if (used == null) {
                return;
            }
            for (String key : used) {
                if (!PINNED.contains(key) && SCOPES.values().stream().noneMatch(other -> other.contains(key))) {
                    SharedRegion region = MAPPED.remove(key);
                    if (region != null) {
                        region.close(); // unmaps: a view still held by stray code throws IllegalStateException, never reads freed memory
                    }
                }
            }
        }
    }

    /** The segment in {@code directory} named {@code name} was closed here: its mapping for refs goes too. */
    public static void forget(String directory, String name) {
        String key = key(directory, name);
        synchronized (LOCK) {
            PINNED.remove(key);
            SCOPES.values().forEach(used -> used.remove(key));
            SharedRegion region = MAPPED.remove(key);
            if (region != null) {
                region.close();
            }
        }
    }

    private static String key(String directory, String name) {
        return directory + '/' + name; // names hold no '/': one key per file, and cheaper than a Path per access
    }
}
