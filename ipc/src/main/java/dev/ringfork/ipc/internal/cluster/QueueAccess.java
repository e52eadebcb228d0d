package dev.ringfork.ipc.internal.cluster;

import com.hazelcast.collection.IQueue;
import com.hazelcast.config.InvalidConfigurationException;
import com.hazelcast.config.QueueConfig;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What a {@code ClusterQueue} handle does with Hazelcast: the IQueue of encoded elements ({@link ClusterNames#QUEUE_PREFIX}
 * and the name, bounded, one backup) and the queue's end-of-stream flag in {@link ClusterNames#QUEUE_STATE_MAP}, which
 * this handle also follows through an entry listener so that puts check it without a round trip.
 *
 * <p>Elements are removed on a helper virtual thread that no one interrupts: an interrupted caller returns at once,
 * and what the helper still receives for it goes back into the queue instead of being dropped with an abandoned
 * answer (Hazelcast would otherwise lose an element that the member removed for a caller that stopped waiting).
 */
public final class QueueAccess {

    private final String name;
    private final IQueue<byte[]> queue;
    private final IMap<String, Boolean> states;
    private final UUID listener;
    private volatile boolean closedSeen;

    /**
     * Attaches to queue {@code name}, creating it with {@code capacity} (elements) if it is new; a queue that exists
     * keeps the capacity it was made with.
     */
    public QueueAccess(HazelcastInstance hazelcast, String name, int capacity) {
        this.name = name;
        this.states = hazelcast.getMap(ClusterNames.QUEUE_STATE_MAP);
        Boolean state = states.putIfAbsent(name, false);
        if (state == null) {
            // The first opener fixes the capacity. Only it tries: a conflicting dynamic configuration is refused, but
            // each member logs the refusal as SEVERE with a stack trace.
            try {
                hazelcast.getConfig().addQueueConfig(new QueueConfig(ClusterNames.QUEUE_PREFIX + name)
                        .setMaxSize(capacity == Integer.MAX_VALUE ? 0 : capacity).setBackupCount(1));
            } catch (InvalidConfigurationException madeOtherwise) {
                // its state entry was lost (two members died at once) but not its configuration: use it as it is
            }
        }
        this.queue = hazelcast.getQueue(ClusterNames.QUEUE_PREFIX + name);
        this.listener = states.addEntryListener(new Follower(), name, true);
        closedSeen = Boolean.TRUE.equals(state) || Boolean.TRUE.equals(states.get(name));
    }

    public IQueue<byte[]> queue() {
        return queue;
    }

    /** True if this handle has seen the queue closed: no round trip, and may lag a close elsewhere by an event's way. */
    public boolean closedSeen() {
        return closedSeen;
    }

    /** True if the queue was closed, asking the cluster unless this handle already knows. */
    public boolean closed() {
        if (!closedSeen && Boolean.TRUE.equals(states.get(name))) {
            closedSeen = true;
        }
        return closedSeen;
    }

    /** Closes the queue for writing, for every handle on every host. */
    public void close() {
        states.set(name, true);
        closedSeen = true;
    }

    /** Stops following the end-of-stream flag. */
    public void detach() {
        states.removeEntryListener(listener);
    }

    /**
     * Up to {@code max} elements, waiting up to {@code nanos} ({@link Long#MAX_VALUE}: for ever) for the first, in
     * slices of {@code sliceNanos} between which the end of stream is checked; empty if none came; null at the end of
     * the stream (closed, and everything put before taken).
     */
    public List<byte[]> take(int max, long nanos, long sliceNanos, boolean interruptible) throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        long start = System.nanoTime();
        for (;;) {
            boolean closed = closedSeen;
            long left = nanos == Long.MAX_VALUE ? sliceNanos : nanos - (System.nanoTime() - start);
            List<byte[]> taken = remove(max, closed ? 0 : Math.max(0, Math.min(sliceNanos, left)), interruptible);
            if (!taken.isEmpty()) {
                return taken;
            }
            if (closed) {
                return null;
            }
            if (closed()) {
                continue; // one more look without waiting: what was put before the close is there now
            }
            if (nanos != Long.MAX_VALUE && System.nanoTime() - start >= nanos) {
                return taken;
            }
        }
    }

    /**
     * Removes up to {@code max} elements, waiting up to {@code waitNanos} for the first (0: no wait); empty if none came.
     *
     * @param interruptible if false, an interrupt is remembered (the flag set again on return), not obeyed
     */
    public List<byte[]> remove(int max, long waitNanos, boolean interruptible) throws InterruptedException {
        CompletableFuture<List<byte[]>> result = new CompletableFuture<>();
        Thread.ofVirtual().name("ringfork-queue-" + name).start(() -> {
            try {
                result.complete(removeNow(max, waitNanos));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    if (interruptible) {
                        result.thenAccept(this::giveBack);
                        throw e;
                    }
                    interrupted = true;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw e.getCause() instanceof RuntimeException r ? Outcomes.of(r, "queue '" + name + "': take")
                            : new IllegalStateException(e.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<byte[]> removeNow(int max, long waitNanos) throws InterruptedException {
        List<byte[]> taken = new ArrayList<>(Math.min(max, 1024));
        if (max == 1) {
            byte[] one = waitNanos > 0 ? queue.poll(waitNanos, TimeUnit.NANOSECONDS) : queue.poll();
            if (one != null) {
                taken.add(one);
            }
            return taken;
        }
        queue.drainTo(taken, max);
        if (taken.isEmpty() && waitNanos > 0) {
            byte[] first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
            if (first != null) {
                taken.add(first);
                queue.drainTo(taken, max - 1);
            }
        }
        return taken;
    }

    /** Puts back what an interrupted caller no longer waits for (at the tail), waiting for room if need be. */
    private void giveBack(List<byte[]> elements) {
        if (elements.isEmpty() || queue.addAll(elements)) {
            return;
        }
        try {
            for (byte[] element : elements) {
                queue.put(element);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Follower implements EntryAddedListener<String, Boolean>, EntryUpdatedListener<String, Boolean> {
        @Override
        public void entryAdded(EntryEvent<String, Boolean> event) {
            follow(event);
        }

        @Override
        public void entryUpdated(EntryEvent<String, Boolean> event) {
            follow(event);
        }

        private void follow(EntryEvent<String, Boolean> event) {
            if (Boolean.TRUE.equals(event.getValue())) {
                closedSeen = true;
            }
        }
    }
}
