package dev.ringfork.ipc;

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
            Taker<T> taker = takers.enter(true);
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
        Taker<T> taker;
        try {
            taker = takers.enter(false);
        } catch (InterruptedException unexpected) {
            Thread.currentThread().interrupt();
            return null;
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
        Taker<T> taker = takers.enter(true);
        try {
            int n = taker.consumer.read(taker, 1, timeout, unit);
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
            return 0;
        }
        Taker<T> taker = takers.enter(true);
        int n = 0;
        RuntimeException error;
        try {
            taker.forward = handler;
            n = taker.consumer.read(taker, maxElements, timeout, unit);
            taker.endOfStream = n < 0;
        } finally {
            taker.forward = null;
            error = taker.decoded.takeError();
            takers.exit(taker);
            if (n > 0) {
                header.countTaken(n);
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
        Taker<T> taker;
        try {
            taker = takers.enter(false);
        } catch (InterruptedException unexpected) {
            Thread.currentThread().interrupt();
            return 0;
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
}
