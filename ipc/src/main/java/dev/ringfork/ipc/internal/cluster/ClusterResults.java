package dev.ringfork.ipc.internal.cluster;

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
 * The {@link PoolResults} of a cluster map that a user holds: a thin handle on a {@link ClusterMapJob}. The engine keeps
 * the job, never this handle, so results dropped without closing are closed by a {@link Cleaner} once unreachable: the
 * source is closed and the pool no longer waits for the map.
 */
final class ClusterResults<R> implements PoolResults<R> {

    private static final Cleaner CLEANER = Cleaner.create(Thread.ofPlatform().daemon().name("ringfork-cluster-results-cleaner").factory());

    private final ClusterMapJob<R> job;
    private final Cleaner.Cleanable cleanable;

    ClusterResults(ClusterMapJob<R> job) {
        this.job = job;
        this.cleanable = CLEANER.register(this, job::close); // the action holds the job, not this handle
    }

    // Each method keeps this handle reachable until the job's method returned.

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

    @Override
    public long pulled() {
        return job.pulled();
    }

    @Override
    public Stream<R> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false).onClose(this::close);
    }

    @Override
    public void close() {
        cleanable.clean();
    }
}
