/**
 * The pool of worker JVMs: {@link dev.ringfork.ipc.pool.ProcessPool} (Python's {@code multiprocessing.Pool}
 * and {@code ProcessPoolExecutor}), its results, lazy sources ({@link dev.ringfork.ipc.pool.Generator}),
 * bulk data shared without serialization ({@link dev.ringfork.ipc.pool.SharedSegment}), and the
 * exceptions a task can end with. The machinery lives in a package that is not exported.
 */
package dev.ringfork.ipc.pool;
