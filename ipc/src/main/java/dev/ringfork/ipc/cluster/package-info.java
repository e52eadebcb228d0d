/**
 * Across hosts: the same pool, queue, lock and counter as on one host, over a cluster of Ringfork host agents
 * ({@code ringfork worker}) built on Hazelcast. Connect with {@link dev.ringfork.ipc.cluster.Cluster#connect}; each
 * structure is opened on the cluster by name. Needs {@code com.hazelcast:hazelcast} (an optional dependency of
 * Ringfork); docs/cluster.md says what each structure guarantees when a member dies or the network splits.
 */
package dev.ringfork.ipc.cluster;
