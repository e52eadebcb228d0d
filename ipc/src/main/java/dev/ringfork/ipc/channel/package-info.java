/**
 * Queues and pipes between processes, typed by a {@link dev.ringfork.ipc.codec.Codec}:
 * {@link dev.ringfork.ipc.channel.SharedQueue} (a {@code BlockingQueue} between processes, Python's
 * {@code multiprocessing.Queue}), {@link dev.ringfork.ipc.channel.JoinableQueue} (its
 * {@code JoinableQueue}), {@link dev.ringfork.ipc.channel.Pipe} and
 * {@link dev.ringfork.ipc.channel.Connection} (Python's {@code multiprocessing.Pipe}), and
 * {@link dev.ringfork.ipc.channel.Channels#waitAny} (its {@code multiprocessing.connection.wait}).
 */
package dev.ringfork.ipc.channel;
