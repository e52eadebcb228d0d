/**
 * Ringfork core: memory-mapped shared regions, shared values, the futex and the locks built on it.
 * Knows nothing about processes beyond "a pid and its start time".
 */
@SuppressWarnings("module") // the qualified export names modules built after this one
module dev.ringfork.core {
    exports dev.ringfork.core.memory;
    exports dev.ringfork.core.sync;
    exports dev.ringfork.core.ring;
    // Process identity and platform probes are shared with our own modules only.
    exports dev.ringfork.core.internal to dev.ringfork.ipc;
}
