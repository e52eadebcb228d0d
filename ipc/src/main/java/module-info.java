/**
 * Ringfork ipc: processes, the pool, typed queues and pipes, codecs; the command-line tool and the demo.
 * One exported package per concern; the machinery ({@code dev.ringfork.ipc.internal...}) is not exported.
 * picocli is needed only by the command-line tool: a library user's application does not need it.
 */
@SuppressWarnings("module") // the qualified exports name bench, which is compiled after ipc
module dev.ringfork.ipc {
    requires transitive dev.ringfork.core;
    requires static info.picocli;
    requires static com.hazelcast.core;
    requires java.logging; // the cluster quiets Hazelcast's INFO logging (java.util.logging)

    exports dev.ringfork.ipc.channel;
    exports dev.ringfork.ipc.cluster;
    exports dev.ringfork.ipc.codec;
    exports dev.ringfork.ipc.function;
    exports dev.ringfork.ipc.pool;
    exports dev.ringfork.ipc.process;
    // The demo's workload, for the pool benchmarks' scaling run (the same work as scripts/demo).
    exports dev.ringfork.ipc.demo to dev.ringfork.bench;
    // The one JSON writer, shared with the benchmark reports.
    exports dev.ringfork.ipc.internal.text to dev.ringfork.bench;
    // Host agents in child JVMs on loopback, for the cluster benchmark; and to Hazelcast, which makes the pool's
    // executor task (a DataSerializable, PoolTask) through its public no-argument constructor.
    exports dev.ringfork.ipc.internal.cluster to dev.ringfork.bench, com.hazelcast.core;
    // The command-line tool: picocli reads and sets the annotated fields reflectively.
    opens dev.ringfork.ipc.cli to info.picocli;
}
