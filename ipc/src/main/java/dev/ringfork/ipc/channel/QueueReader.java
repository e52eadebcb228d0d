package dev.ringfork.ipc.channel;

import dev.ringfork.core.sync.Deadline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The taking side of one queue handle: reads elements through the calling thread's {@link Taker},
 * counts them in the header, and notes the end of the stream so the taker gives its slot back.
 *
 * @param <T> the element type
 */
final class QueueReader<T> {

    private static final int DRAIN_BATCH = 256;

    private final String queueName;
    private final QueueHeader header;
    private final TakerRegistry<T> takers;

    QueueReader(String queueName, QueueHeader header, TakerRegistry<T> takers) {
        this.queueName = queueName;
        this.header = header;
        this.takers = takers;
    }

    /** See {@link SharedQueue#take()}. */
    T take() throws InterruptedException {
        for (;;) {
            Taker<T> taker = takers.enter(Deadline.NONE);
            try {
                int n = taker.consumer.read(taker, 1, Long.MAX_VALUE, TimeUnit.NANOSECONDS);
                if (n > 0) {
                    return taker.result(1);
                }
                if (n < 0) {
                    taker.endOfStream = true;
                    throw new EndOfStreamException("queue '" + queueName + "' was closed and every element has been taken");
                }
            } finally {
                takers.exit(taker);
            }
        }
    }

    /** See {@link SharedQueue#poll()}. */
    T poll() {
        Taker<T> taker = enterNow();
        if (taker == null) {
            return null; // another thread of this handle is taking from the SPSC ring
        }
        try {
            if (taker.consumer.read(taker, 1) > 0) {
                return taker.result(1);
            }
            taker.endOfStream = taker.consumer.isEndOfStream();
            return null;
        } finally {
            takers.exit(taker);
        }
    }

    /** See {@link SharedQueue#poll(long, TimeUnit)}. */
    T poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = Deadline.after(timeout, unit);
        Taker<T> taker = takers.enter(deadline);
        if (taker == null) {
            return null;
        }
        try {
            int n = taker.consumer.read(taker, 1, left(deadline), TimeUnit.NANOSECONDS);
            if (n > 0) {
                return taker.result(1);
            }
            taker.endOfStream = n < 0;
            return null;
        } finally {
            takers.exit(taker);
        }
    }

    /** See {@link SharedQueue#drain(ElementHandler, int, long, TimeUnit)}. */
    int drain(ElementHandler<? super T> handler, int maxElements, long timeout, TimeUnit unit) throws InterruptedException {
        if (maxElements <= 0) {
            throw new IllegalArgumentException("maxElements must be at least 1, was " + maxElements);
        }
        long deadline = Deadline.after(timeout, unit);
        Taker<T> taker = takers.enter(deadline);
        if (taker == null) {
            return 0;
        }
        int n = 0;
        int given;
        RuntimeException error;
        try {
            taker.forward = handler;
            taker.given = 0;
            n = taker.consumer.read(taker, maxElements, left(deadline), TimeUnit.NANOSECONDS);
            taker.endOfStream = n < 0;
        } finally {
            taker.forward = null;
            given = taker.given; // read before exit: another thread may use an SPSC taker next
            error = taker.decoded.takeError();
            takers.exit(taker);
            if (given > 0) {
                header.countTaken(given); // also those given up before the handler threw
            }
        }
        if (error != null) {
            throw error;
        }
        return n;
    }

    /** See {@link SharedQueue#drainTo(Collection, int)}. */
    int drainTo(Collection<? super T> c, int maxElements) {
        if (maxElements <= 0) {
            return 0;
        }
        List<T> batch = new ArrayList<>();
        Taker<T> taker = enterNow();
        if (taker == null) {
            return 0; // another thread of this handle is taking from the SPSC ring
        }
        long taken = 0;
        RuntimeException error;
        try {
            taker.sink = batch;
            while (taken < maxElements) {
                int n = taker.consumer.read(taker, (int) Math.min(DRAIN_BATCH, maxElements - taken));
                if (n <= 0) {
                    taker.endOfStream = taker.consumer.isEndOfStream();
                    break;
                }
                taken += n;
            }
        } finally {
            taker.sink = null;
            error = taker.decoded.takeError();
            takers.exit(taker);
            if (taken > 0) {
                header.countTaken(taken);
            }
        }
        c.addAll(batch);
        if (error != null) {
            throw error;
        }
        return batch.size();
    }

    /** The calling thread's taker if it can have it without waiting, else null. */
    private Taker<T> enterNow() {
        try {
            return takers.enter(Deadline.after(0, TimeUnit.NANOSECONDS));
        } catch (InterruptedException unexpected) { // a passed deadline does not wait
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Nanoseconds left until {@code deadline} (all of them for {@link Deadline#NONE}). */
    private static long left(long deadline) {
        return Deadline.left(deadline, System.nanoTime(), Long.MAX_VALUE);
    }
}
