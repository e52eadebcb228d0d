/**
 * Child JVMs: {@link dev.ringfork.ipc.process.JvmProcess} (Python's {@code multiprocessing.Process}) and its
 * builder. A child inherits this JVM's {@code java}, class path or module path, and halts if this JVM dies.
 */
package dev.ringfork.ipc.process;
