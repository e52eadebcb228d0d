package dev.ringfork.ipc.cli;

import dev.ringfork.core.ring.RingClosedException;
import dev.ringfork.ipc.channel.ElementHandler;
import dev.ringfork.ipc.cluster.Cluster;
import dev.ringfork.ipc.cluster.ClusterOptions;
import dev.ringfork.ipc.cluster.ClusterQueue;
import dev.ringfork.ipc.codec.Codec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code ringfork queue ... --cluster C --members ...}: a {@code ClusterQueue<byte[]>} ({@link Codec#bytes()}) named
 * NAME on the cluster, so a JVM on any host can take what a script put. Records are sent in batches (one round trip
 * for up to {@value #BATCH} records), and a record waits at most {@value #LINGER_MILLIS} ms for its batch to fill.
 */
final class ClusterQueueChannel implements Channel {

    /** The largest record: a cluster queue has no ring, but a record travels in one message. */
    static final int MAX_RECORD_BYTES = 16 << 20;
    private static final int BATCH = 1000;
    private static final long BATCH_BYTES = 1 << 20;
    private static final long LINGER_MILLIS = 20;

    private final Cluster cluster;
    private final ClusterQueue<byte[]> queue;
    private final List<byte[]> pending = new ArrayList<>();
    private long pendingBytes;
    private ScheduledExecutorService linger;
    private RuntimeException lingerFailure;

    private ClusterQueueChannel(Cluster cluster, ClusterQueue<byte[]> queue) {
        this.cluster = cluster;
        this.queue = queue;
    }

    /** Connects to the cluster the options name and opens (or creates) the queue. */
    static ClusterQueueChannel open(ChannelOptions options, String name) {
        // Our stop hook ends the stream on Ctrl-C; Hazelcast's own hook would disconnect first.
        System.setProperty("hazelcast.shutdownhook.enabled", "false");
        Cluster cluster = Cluster.connect(options.clusterOptions());
        try {
            return new ClusterQueueChannel(cluster, ClusterQueue.open(cluster, name, Codec.bytes()));
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    @Override
    public String description() {
        return "queue '" + queue.name() + "' of cluster '" + cluster.name() + "'";
    }

    @Override
    public Path file() {
        return null;
    }

    @Override
    public int maxRecordBytes() {
        return MAX_RECORD_BYTES;
    }

    @Override
    public void requireOpen() {
        if (queue.isClosed()) {
            throw closed();
        }
    }

    @Override
    public void send(byte[] bytes, int offset, int length) throws InterruptedException {
        synchronized (pending) {
            pending.add(Arrays.copyOfRange(bytes, offset, offset + length));
            pendingBytes += length;
            if (pending.size() >= BATCH || pendingBytes >= BATCH_BYTES) {
                flush();
            } else if (linger == null) {
                linger = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("ringfork-linger").factory());
                linger.scheduleWithFixedDelay(this::flushLate, LINGER_MILLIS, LINGER_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Sends what waits; under the lock. */
    private void flush() throws InterruptedException {
        if (lingerFailure != null) {
            throw lingerFailure;
        }
        if (pending.isEmpty()) {
            return;
        }
        try {
            queue.putAll(pending);
        } catch (RingClosedException e) {
            throw closed();
        }
        pending.clear();
        pendingBytes = 0;
    }

    private void flushLate() {
        synchronized (pending) {
            try {
                flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                lingerFailure = e;
            }
        }
    }

    @Override
    public void closeForWriting() {
        synchronized (pending) {
            try {
                flush();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // stopping: end the stream with what was sent
            } finally {
                queue.close();
            }
        }
    }

    @Override
    public int receive(ElementHandler<byte[]> handler, int max, long timeoutNanos) throws InterruptedException {
        List<byte[]> taken = new ArrayList<>(Math.min(max, BATCH));
        int n = queue.drainTo(taken, max, timeoutNanos, TimeUnit.NANOSECONDS);
        if (n > 0) {
            taken.forEach(handler::onElement);
            handler.beforeRelease();
        }
        return n;
    }

    @Override
    public void close() {
        try {
            if (linger != null) {
                linger.shutdownNow();
            }
            synchronized (pending) {
                if (!pending.isEmpty() && lingerFailure == null) {
                    flush(); // --keep-open: what was read is sent
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            cluster.close();
        }
    }

    private CliFailure closed() {
        return new CliFailure(description() + " is closed: a put reached the end of its input (put --keep-open leaves it"
                + " open), and a closed queue stays closed until the cluster restarts: use another name");
    }
}
