/**
 * The pool of worker JVMs: {@link dev.ringfork.ipc.pool.ProcessPool} (Python's {@code multiprocessing.Pool}
 * and {@code ProcessPoolExecutor}) and the interface it implements, {@link dev.ringfork.ipc.pool.Pool}, its results, lazy sources ({@link dev.ringfork.ipc.pool.Generator}),
 * bulk data shared without serialization ({@link dev.ringfork.ipc.pool.SharedSegment}), and the
 * exceptions a task can end with. The machinery lives in a package that is not exported.
 */
package dev.ringfork.ipc.pool;
