package dev.ringfork.ipc.cluster;

/**
 * A Ringfork host agent in a {@link Cluster} ({@code ringfork worker}), as the cluster sees it now.
 *
 * @param address  the member's {@code host:port}
 * @param hostName the agent's host name
 * @param pid      the agent's process id on its host
 * @param workers  the worker JVMs it runs for each pool
 */
public record ClusterHost(String address, String hostName, long pid, int workers) {
}
