package dev.ringfork.ipc.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import dev.ringfork.ipc.internal.cluster.ClusterNames;
import dev.ringfork.ipc.internal.cluster.HostStats;
import dev.ringfork.ipc.internal.cluster.SafetyCheck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@code ringfork stat --cluster} shows, for programs: the host agents with what each reports of its pools,
 * and every cluster queue with its size. A snapshot, read in a few round trips.
 *
 * @param clusterName the cluster's name
 * @param hosts       the host agents now, oldest first
 * @param queues      the cluster queues, by name
 * @param safe        true if the data was safe when asked: nothing migrating, every backup in sync (see
 *                    {@link Cluster#awaitSafe}); false if not, or if no agent answered within 10 s
 */
public record ClusterStatus(String clusterName, List<Host> hosts, List<Queue> queues, boolean safe) {

    /**
     * One host agent and its last report (zeros if it has reported nothing yet).
     *
     * @param agent          the member, its host, pid and workers
     * @param pools          cluster pools it serves now
     * @param chunksInFlight map chunks it holds now
     * @param chunksDone     map chunks it answered since it started
     * @param tasksDone      single tasks it answered since it started
     */
    public record Host(ClusterHost agent, int pools, long chunksInFlight, long chunksDone, long tasksDone) {
    }

    /**
     * One {@link ClusterQueue}.
     *
     * @param name   its name
     * @param size   elements in it now
     * @param closed true once closed for writing
     */
    public record Queue(String name, int size, boolean closed) {
    }

    /**
     * Reads the status of {@code cluster} now.
     *
     * @throws InterruptedException if interrupted while asking whether the data is safe
     */
    public static ClusterStatus read(Cluster cluster) throws InterruptedException {
        HazelcastInstance hazelcast = cluster.hazelcast();
        List<ClusterHost> agents = cluster.hosts();
        Set<String> addresses = new HashSet<>();
        agents.forEach(agent -> addresses.add(agent.address()));
        Map<String, HostStats> reports = hazelcast.<String, HostStats>getMap(HostStats.MAP).getAll(addresses);
        List<Host> hosts = new ArrayList<>();
        for (ClusterHost agent : agents) {
            HostStats report = reports.get(agent.address());
            hosts.add(report == null ? new Host(agent, 0, 0, 0, 0)
                    : new Host(agent, report.pools(), report.chunksInFlight(), report.chunksDone(), report.tasksDone()));
        }
        List<Queue> queues = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (DistributedObject object : hazelcast.getDistributedObjects()) {
            if (object instanceof IQueue<?> && object.getName().startsWith(ClusterNames.QUEUE_PREFIX)) {
                names.add(object.getName().substring(ClusterNames.QUEUE_PREFIX.length()));
            }
        }
        Map<String, Boolean> closed = hazelcast.<String, Boolean>getMap(ClusterNames.QUEUE_STATE_MAP).getAll(names);
        for (String name : names) {
            queues.add(new Queue(name, hazelcast.getQueue(ClusterNames.QUEUE_PREFIX + name).size(),
                    Boolean.TRUE.equals(closed.get(name))));
        }
        queues.sort(Comparator.comparing(Queue::name));
        boolean safe = SafetyCheck.ask(hazelcast, Duration.ofSeconds(10));
        return new ClusterStatus(cluster.name(), List.copyOf(hosts), List.copyOf(queues), safe);
    }
}
