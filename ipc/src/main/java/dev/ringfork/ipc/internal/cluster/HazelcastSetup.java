package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig.ReconnectMode;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.internal.util.ConcurrencyUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where Hazelcast is configured, for host agents (members) and for the JVMs that use a cluster
 * (clients): TCP-IP join to the given addresses only (no multicast, no cloud discovery), no phone-home, fast
 * failure detection, and Hazelcast's own logging down to warnings unless the application configured it.
 */
public final class HazelcastSetup {

    /** Member attribute: the worker JVMs the host agent runs per pool. */
    public static final String ATTR_WORKERS = "ringfork.workers";
    /** Member attribute: the agent's process id. */
    public static final String ATTR_PID = "ringfork.pid";
    /** Member attribute: the agent's host name. */
    public static final String ATTR_HOST = "ringfork.host";

    // Held strongly: java.util.logging forgets a logger's level once nobody holds the logger.
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");
    private static final Logger CLIENT_LOG = Logger.getLogger("com.hazelcast.client");
    private static boolean callbackThreadsReused;

    private HazelcastSetup() {
    }

    /** A member's configuration: joins {@code members} by TCP-IP, listens on {@code port} (or the next free one). */
    public static Config member(String clusterName, List<String> members, int port, Map<String, String> attributes) {
        quietLogging();
        reuseCallbackThreads();
        Config config = new Config();
        config.setClusterName(clusterName);
        config.setInstanceName("ringfork-" + clusterName + "-" + ProcessHandle.current().pid());
        common(config.getProperties()::setProperty);
        // A stopped agent (SIGTERM, Ctrl-C) hands its data to the others before it leaves.
        config.setProperty("hazelcast.shutdownhook.policy", "GRACEFUL");
        config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        config.setProperty("hazelcast.max.no.heartbeat.seconds", "15");
        config.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        config.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(true).setPortCount(100);
        JoinConfig join = config.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(List.copyOf(members));
        if (members.stream().allMatch(HazelcastSetup::isLoopback)) {
            // Everything on this host: do not pick (and announce) another interface.
            config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
        }
        attributes.forEach(config.getMemberAttributeConfig()::setAttribute);
        dataStructures(config);
        return config;
    }

    /**
     * Cluster queues, locks and counters: one synchronous backup each (a member's death loses nothing acknowledged;
     * each queue gets its capacity and backup as a dynamic configuration when it is opened, which a static pattern
     * here would shadow), and a dead client's locks released 5 s after its connection dropped (Hazelcast waits 60 s
     * by default, for a client that reconnects).
     */
    private static void dataStructures(Config config) {
        config.setProperty("hazelcast.client.endpoint.remove.delay.seconds", "5");
        // Hazelcast's metrics thread reads each queue's size every few seconds, outside the partition's thread. On a
        // member just promoted to owner, that read turns the backup copy into the queue (QueueContainer.getItemQueue)
        // while the first operation does the same, and elements are lost or given twice (QueuePromotionTest).
        // Nothing of ours reads those metrics.
        config.setProperty("hazelcast.metrics.datastructures.enabled", "false");
        for (String map : List.of(ClusterNames.QUEUE_STATE_MAP, ClusterNames.LOCK_MAP, ClusterNames.LONG_MAP)) {
            config.addMapConfig(new MapConfig(map).setBackupCount(1));
        }
    }

    /** A client's configuration: connects to {@code members}, giving up after {@code connectTimeout}; reconnects after. */
    public static ClientConfig client(String clusterName, List<String> members, Duration connectTimeout) {
        quietLogging();
        reuseCallbackThreads();
        if (CLIENT_LOG.getLevel() == null && System.getProperty("java.util.logging.config.file") == null) {
            // A client's connection attempts and reconnections warn at every retry; what fails reaches the caller as an
            // exception that says it, once.
            CLIENT_LOG.setLevel(Level.SEVERE);
        }
        ClientConfig config = new ClientConfig();
        config.setClusterName(clusterName);
        config.setInstanceName("ringfork-client-" + clusterName + "-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        common(config.getProperties()::setProperty);
        config.setProperty("hazelcast.client.statistics.enabled", "false");
        // A command line that ends the stream itself on Ctrl-C turns Hazelcast's hook off (it would disconnect first).
        config.setProperty("hazelcast.shutdownhook.enabled", System.getProperty("hazelcast.shutdownhook.enabled", "true"));
        config.getNetworkConfig().setAddresses(List.copyOf(members)).setSmartRouting(true).setRedoOperation(false);
        config.getConnectionStrategyConfig().setReconnectMode(ReconnectMode.ON).setAsyncStart(false)
                .getConnectionRetryConfig().setClusterConnectTimeoutMillis(connectTimeout.toMillis())
                .setInitialBackoffMillis(100).setMaxBackoffMillis(1000);
        return config;
    }

    private interface Properties {
        Object set(String key, String value);
    }

    private static void common(Properties properties) {
        properties.set("hazelcast.phone.home.enabled", "false");
        properties.set("hazelcast.logging.type", "jdk");
        properties.set("hazelcast.shutdownhook.enabled", "true");
    }

    /**
     * Hazelcast logs every lifecycle step at INFO; an application that did not configure the {@code com.hazelcast}
     * logger sees its warnings and errors only.
     */
    private static void quietLogging() {
        if (HAZELCAST_LOG.getLevel() == null && System.getProperty("java.util.logging.config.file") == null) {
            HAZELCAST_LOG.setLevel(Level.WARNING);
        }
    }

    /**
     * Hazelcast runs its asynchronous callbacks (every {@code submitToMember} answer, twice) on the common fork-join
     * pool, or, when that pool's parallelism is 1 (a machine with 2 CPUs), on a new thread per callback: measured,
     * about 4,000 thread starts a second in a cluster pool client at chunk 1000, a sixth of the machine's CPU in system
     * time. There, a cached pool of daemon threads instead: as unbounded as before (a callback that blocks never holds
     * up another), but its threads are reused. Process-wide and once; a larger common pool is left as it is.
     */
    private static synchronized void reuseCallbackThreads() {
        if (callbackThreadsReused || ForkJoinPool.getCommonPoolParallelism() > 1) {
            return;
        }
        callbackThreadsReused = true;
        ConcurrencyUtil.setDefaultAsyncExecutor(Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("ringfork-hz-callback-", 0).factory()));
    }

    private static boolean isLoopback(String address) {
        String host = address.startsWith("[") ? address.substring(1, address.indexOf(']'))
                : address.indexOf(':') >= 0 ? address.substring(0, address.indexOf(':')) : address;
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
