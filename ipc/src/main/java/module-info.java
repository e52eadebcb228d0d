/**
 * Ringfork ipc: processes, pools, typed queues and pipes, codecs, the command-line tool, the demo.
 * Its API packages are exported as they land; the launcher and the demo stay internal.
 */
@SuppressWarnings("module") // the qualified export below names bench, which is compiled after ipc
module dev.ringfork.ipc {
    requires transitive dev.ringfork.core;
    requires info.picocli;

    exports dev.ringfork.ipc;
    // The demo's workload, for the pool benchmarks' scaling run (the same work as scripts/demo).
    exports dev.ringfork.ipc.demo to dev.ringfork.bench;
    // The command-line tool: picocli reads and sets the annotated fields reflectively.
    opens dev.ringfork.ipc.cli to info.picocli;
}
