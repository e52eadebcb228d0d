/**
 * Ringfork ipc: processes, pools, typed queues and pipes, codecs, the command-line tool, the demo.
 * Its API packages are exported as they land; the launcher and the demo stay internal.
 */
module dev.ringfork.ipc {
    requires transitive dev.ringfork.core;

    exports dev.ringfork.ipc;
}
