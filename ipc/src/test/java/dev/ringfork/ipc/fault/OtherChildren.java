package dev.ringfork.ipc.fault;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.OwnerDiedException;
import dev.ringfork.core.sync.SharedLock;
import dev.ringfork.core.sync.SharedLong;
import dev.ringfork.ipc.channel.Connection;
import dev.ringfork.ipc.channel.Pipe;
import dev.ringfork.ipc.codec.Codec;
import dev.ringfork.ipc.pool.Generator;
import dev.ringfork.ipc.pool.PoolResults;
import dev.ringfork.ipc.pool.ProcessPool;

import java.util.concurrent.TimeUnit;

import static dev.ringfork.ipc.fault.ChannelChildren.open;
import static dev.ringfork.ipc.fault.ChannelChildren.say;

/** Child JVM mains of the lock, pipe and pool cells. First argument: the trial's directory. */
final class OtherChildren {

    private OtherChildren() {
    }

    /**
     * Args: dir. Forever: lock; a = a + 1; b = a; sections + 1; unlock. A dead owner is taken over and
     * its half-done section repaired (b = a), as a user would.
     */
    public static final class LockHolder {
        public static void main(String[] args) {
            try (SharedRegion region = open(args)) {
                SharedLock lock = region.lock("lock");
                SharedLong a = region.sharedLong("a");
                SharedLong b = region.sharedLong("b");
                SharedLong sections = region.sharedLong("sections");
                say("READY");
                for (;;) {
                    try {
                        lock.lock();
                    } catch (OwnerDiedException e) {
                        b.setPlain(a.getPlain()); // repair what the dead owner left half done
                        region.sharedLong("repairs").incrementAndGet();
                    }
                    try {
                        a.setPlain(a.getPlain() + 1);
                        b.setPlain(a.getPlain());
                        sections.getAndAdd(1);
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** Args: dir. The second end of pipe "p": sends 0, 1, 2, ... and counts each send in "sent". */
    public static final class PipeSender {
        public static void main(String[] args) throws Exception {
            SharedRegion region = open(args);
            Connection<Long> out = Pipe.open(region, "p", Codec.int64()).second();
            SharedLong sent = region.sharedLong("sent");
            say("READY");
            for (long i = 0; ; i++) {
                out.send(i);
                sent.setRelease(i + 1);
            }
        }
    }

    /** Args: dir. The second end of pipe "p": receives and counts in "received", until killed. */
    public static final class PipeReceiver {
        public static void main(String[] args) throws Exception {
            SharedRegion region = open(args);
            Connection<Long> in = Pipe.open(region, "p", Codec.int64()).second();
            SharedLong received = region.sharedLong("received");
            say("READY");
            for (;;) {
                in.recv(Trial.STEP.toSeconds(), TimeUnit.SECONDS);
                received.incrementAndGet();
            }
        }
    }

    /** Args: dir. Builds a pool of two workers, prints their pids, and maps over an endless generator. */
    public static final class PoolParent {
        public static void main(String[] args) {
            open(args).close();
            try (ProcessPool pool = ProcessPool.builder().workers(2).jvmOption("-Xmx64m").build()) {
                say("WORKERS " + pool.workerPids().get(0) + " " + pool.workerPids().get(1));
                try (PoolResults<Long> results = pool.imap(x -> x + 1, Generator.<Long>of(sink -> {
                    for (long n = 0; ; n++) {
                        sink.yield(n);
                    }
                }))) {
                    for (long n = 0; results.hasNext(); n++) {
                        if (results.next() != n + 1) {
                            throw new IllegalStateException("wrong result at " + n);
                        }
                        if (n == 10_000) {
                            say("MAPPING");
                        }
                    }
                }
            }
        }
    }
}
