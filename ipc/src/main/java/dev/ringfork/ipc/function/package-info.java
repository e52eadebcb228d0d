/**
 * Serializable functional interfaces: a lambda typed as one of these is serializable, so it can be shipped
 * to a worker JVM ({@link dev.ringfork.ipc.pool.ProcessPool}) or a child
 * ({@link dev.ringfork.ipc.process.JvmProcess}).
 */
package dev.ringfork.ipc.function;
