/**
 * Typed inter-process communication over shared regions: {@link dev.ringfork.ipc.SharedQueue} (a
 * {@code BlockingQueue} between processes), {@link dev.ringfork.ipc.Pipe} and
 * {@link dev.ringfork.ipc.Connection} (Python's {@code multiprocessing.Pipe}), the
 * {@link dev.ringfork.ipc.Codec}s that turn values into message bytes, and
 * {@link dev.ringfork.ipc.JvmProcess} ({@code multiprocessing.Process}), the child JVMs that use them.
 */
package dev.ringfork.ipc;
