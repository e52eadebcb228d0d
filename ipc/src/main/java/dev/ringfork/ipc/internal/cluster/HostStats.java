package dev.ringfork.ipc.internal.cluster;

import java.io.Serializable;

/**
 * What a host agent reports about itself, in the cluster map {@link #MAP} under its member address: written by the
 * agent as its pools work, read by {@code ringfork stat --cluster}. A snapshot; an agent that died leaves its last
 * entry behind until the others notice (readers check the address against the members).
 *
 * @param address        the member's {@code host:port}
 * @param hostName       the host's name
 * @param pid            the agent's process id
 * @param workers        worker JVMs per pool
 * @param pools          cluster pools it serves now (a local pool each)
 * @param chunksInFlight map chunks it holds now (received, not yet answered)
 * @param chunksDone     map chunks it answered since it started
 * @param tasksDone      single tasks ({@code submit}) it answered since it started
 * @param updatedMillis  when it wrote this, in its own wall-clock milliseconds
 */
public record HostStats(String address, String hostName, long pid, int workers, int pools, long chunksInFlight,
                        long chunksDone, long tasksDone, long updatedMillis) implements Serializable {

    /** The IMap of the reports, keyed by member address. */
    public static final String MAP = "ringfork.host-stats";
}
