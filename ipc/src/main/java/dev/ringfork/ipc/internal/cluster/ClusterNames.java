package dev.ringfork.ipc.internal.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of the Hazelcast structures behind Ringfork's cluster queues, locks and counters, and the rule for the
 * names users give them: the rule of local queue names on the command line (region names), so that
 * {@code ringfork queue put NAME --cluster ...} reaches {@code ClusterQueue.open(cluster, NAME, ...)}.
 */
public final class ClusterNames {

    /** Prefix of the IQueue behind a cluster queue: {@code ringfork.queue.NAME}. */
    public static final String QUEUE_PREFIX = "ringfork.queue.";
    /** IMap of the queues' end of stream: queue name to true once closed (false while open). */
    public static final String QUEUE_STATE_MAP = "ringfork.queue-state";
    /** IMap whose per-key locks are the cluster locks; a held lock's entry records its owner. */
    public static final String LOCK_MAP = "ringfork.lock";
    /** IMap of the cluster counters: name to value. */
    public static final String LONG_MAP = "ringfork.long";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private ClusterNames() {
    }

    /**
     * {@code name} if valid: 1 to 128 letters, digits, '.', '_' or '-', not starting with '.'.
     *
     * @param kind "queue", "lock", "counter": for the message
     * @throws IllegalArgumentException saying the rule
     */
    public static String check(String kind, String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is no " + kind + " name: use 1 to 128 letters, digits, '.', '_'"
                    + " or '-', not starting with '.'");
        }
        return name;
    }
}
