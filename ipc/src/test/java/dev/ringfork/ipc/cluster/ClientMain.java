package dev.ringfork.ipc.cluster;

import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.internal.ParentWatchdog;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The other side of the cluster tests, in a child JVM ({@link ClientJvm}):
 * {@code PARENT_PID ACTION CLUSTER ADDRESS ARGS...}, where ACTION is
 * {@code put QUEUE FROM COUNT} (sequence-numbered payloads, in batches, then closes the queue),
 * {@code take QUEUE FILE} (until the end of the stream; the numbers go to FILE, one per line),
 * {@code lock LOCK} (takes it and waits to be killed) or {@code increment COUNTER N}.
 */
public final class ClientMain {

    private ClientMain() {
    }

    public static void main(String[] args) throws Exception {
        ParentWatchdog.watch(Long.parseLong(args[0]), "cluster test client");
        try (Cluster cluster = Cluster.connect(args[2], args[3])) {
            switch (args[1]) {
                case "put" -> put(cluster, args[4], Long.parseLong(args[5]), Long.parseLong(args[6]));
                case "take" -> take(cluster, args[4], Path.of(args[5]));
                case "lock" -> {
                    ClusterLock lock = ClusterLock.open(cluster, args[4]);
                    lock.lock();
                    say("LOCKED " + ProcessHandle.current().pid());
                    // Holds it until the test kills this JVM; a test that never does ends us after 10 minutes.
                    if (!new CountDownLatch(1).await(10, TimeUnit.MINUTES)) {
                        throw new IllegalStateException("lock holder was not killed within 10 minutes");
                    }
                }
                case "increment" -> {
                    ClusterLong counter = ClusterLong.open(cluster, args[4]);
                    say("READY");
                    for (long i = Long.parseLong(args[5]); i > 0; i--) {
                        counter.incrementAndGet();
                    }
                }
                default -> throw new IllegalArgumentException("no action " + args[1]);
            }
            say("DONE");
        }
        System.exit(0);
    }

    /** The payload of sequence number {@code n}: the number and a check of it. */
    static String payload(long n) {
        return n + ":" + Long.toHexString(n * 0x9E3779B97F4A7C15L);
    }

    /** The sequence number of a payload; fails if the payload is not intact. */
    static long sequence(String payload) {
        int colon = payload.indexOf(':');
        long n = Long.parseLong(payload.substring(0, colon));
        if (!payload.equals(payload(n))) {
            throw new AssertionError("damaged payload: " + payload);
        }
        return n;
    }

    private static void put(Cluster cluster, String name, long from, long count) throws InterruptedException {
        ClusterQueue<String> queue = ClusterQueue.open(cluster, name, Codec.string());
        say("READY");
        List<String> batch = new ArrayList<>();
        for (long n = from; n < from + count; n++) {
            batch.add(payload(n));
            if (batch.size() == 1000) {
                queue.putAll(batch);
                batch.clear();
            }
        }
        queue.putAll(batch);
        queue.close();
    }

    private static void take(Cluster cluster, String name, Path file) throws Exception {
        ClusterQueue<String> queue = ClusterQueue.open(cluster, name, Codec.string());
        say("READY");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> batch = new ArrayList<>();
            while (queue.drainTo(batch, 1000, 1, TimeUnit.MINUTES) >= 0) {
                for (String payload : batch) {
                    out.write(Long.toString(sequence(payload)));
                    out.newLine();
                }
                batch.clear();
            }
        }
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
