package dev.ringfork.ipc.cli;

import dev.ringfork.ipc.internal.ParentWatchdog;
import dev.ringfork.ipc.internal.cluster.HostAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code ringfork worker --cluster NAME --members host:port,...}: a host agent that serves the cluster's pools. */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = RingforkCli.Version.class,
        description = {"Joins a cluster of hosts as a host agent and serves its pools with worker JVMs on this host,"
                + " one per CPU unless --workers says otherwise; also holds a share of the cluster's queues, locks and"
                + " counters. Runs until stopped (Ctrl-C or SIGTERM: it hands its data to the other members first).",
                "A Java program uses the cluster with Cluster.connect(NAME, \"host:port\") and ClusterPool.open(cluster)."},
        footer = {"", "Example, on each host:", "  ringfork worker --cluster jobs --members 10.0.0.5:5701,10.0.0.6:5701"})
final class WorkerCommand implements Callable<Integer> {

    /** How long the agent waits, before it says it is ready, for the data to be safe after it joined. */
    private static final Duration SAFE_WAIT = Duration.ofSeconds(60);

    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", required = true, paramLabel = "NAME", description = "The cluster's name (the same on every host).")
    String cluster;

    @Option(names = "--members", required = true, split = ",", paramLabel = "HOST:PORT",
            description = "Members to join through, comma-separated (this host's own address may be among them).")
    List<String> members;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "5701",
            description = "Port to listen on, or the next free one above it (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--workers", paramLabel = "N", description = "Worker JVMs per pool (default: the CPUs of this host).")
    Integer workers;

    @Option(names = {"-cp", "--class-path"}, paramLabel = "PATH",
            description = "Class path of the worker JVMs: where the classes of the tasks are (default: Ringfork's own).")
    String classPath;

    @Option(names = "--parent-pid", hidden = true, paramLabel = "PID",
            description = "Exit when this process (the one that started us: a test, a script) is gone.")
    Long parentPid;

    @Override
    public Integer call() throws InterruptedException {
        if (parentPid != null) {
            ParentWatchdog.watch(parentPid, "ringfork worker");
        }
        int count = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        HostAgent agent = HostAgent.start(new HostAgent.Options(cluster, members, port, count, classPath));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "ringfork-worker-stop"));
        if (!agent.awaitSafe(SAFE_WAIT)) {
            spec.commandLine().getErr().printf("ringfork worker: warning: the cluster's data is still moving after %d s"
                    + " (partitions migrating, backups being made); until `ringfork stat --cluster` says safe, stopping"
                    + " another host may lose what it holds%n", SAFE_WAIT.toSeconds());
        }
        spec.commandLine().getErr().printf("ringfork worker: %s in cluster '%s' (%d members), %d workers per pool; Ctrl-C stops%n",
                agent.address(), cluster, agent.clusterSize(), count);
        spec.commandLine().getErr().flush();
        stopped.await();
        return 0;
    }
}
