package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.PoolResults;

import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The {@link PoolResults} a user holds: a thin handle on a job (a {@link MapJob}, or a cluster pool's map). The engine
 * keeps the job (it routes answers to it) but never this handle, so once the user drops the handle without closing it
 * (e.g. {@code pool.imap(f, xs).stream().limit(3).toList()}), a {@link Cleaner} closes the job: the source
 * is closed and the pool no longer waits for the map.
 */
public final class MapResults<R> implements PoolResults<R> {

    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("ringfork-results-cleaner").factory());

    private final PoolResults<R> job;
    private final Cleaner.Cleanable cleanable;

    /** A handle on {@code job}, which the cleaner closes once the handle is unreachable. */
    public MapResults(PoolResults<R> job) {
        this.job = job;
        this.cleanable = CLEANER.register(this, job::close); // the action holds the job, not this handle
    }

    // Every method keeps this handle reachable until the job's method returned: else the cleaner could close
    // the job under a reader whose last use of the handle was the call itself.

    @Override
    public boolean hasNext() {
        try {
            return job.hasNext();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public R next() {
        try {
            return job.next();
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    @Override
    public R next(long timeout, TimeUnit unit) throws TimeoutException {
        try {
            return job.next(timeout, unit);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** The map behind these results. */
    PoolResults<R> job() {
        return job;
    }

    @Override
    public long pulled() {
        return job.pulled(); // a count: the cleaner closing the job under it changes nothing
    }

    @Override
    public Stream<R> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /** Closes the job once, here or (if never called) in the cleaner's thread after this handle is collected. */
    @Override
    public void close() {
        cleanable.clean();
    }
}
