package dev.ringfork.ipc.pool;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The hand-off behind {@link Generator}: a single-producer single-consumer ring of {@link #CAPACITY}
 * slots between the body's thread and the consumer. Each side keeps its own index and a cached copy of
 * the other's; the producer publishes each value at once, the consumer its position every
 * {@link #PUBLISH_EVERY} values or when it runs out, so a value costs two array accesses and about one
 * index store. A side that finds the ring full (or empty) spins briefly, then parks and is woken by the
 * other. The consumer wakes a parked producer only once half the ring is free, so a fast body and a slow
 * consumer do not trade a wake-up per value.
 */
final class GeneratorChannel<T> implements Generator.Sink<T>, Runnable {

    static final int CAPACITY = 64;
    private static final int MASK = CAPACITY - 1;
    /** The consumer publishes its position after this many values, or when it runs out. */
    private static final int PUBLISH_EVERY = CAPACITY / 4;
    private static final int SPINS = 128;
    private static final int YIELDS = 16;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle CONSUMER_WAITER;
    private static final VarHandle PRODUCER_WAITER;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            HEAD = lookup.findVarHandle(GeneratorChannel.class, "head", long.class);
            TAIL = lookup.findVarHandle(GeneratorChannel.class, "tail", long.class);
            CONSUMER_WAITER = lookup.findVarHandle(GeneratorChannel.class, "consumerWaiter", Thread.class);
            PRODUCER_WAITER = lookup.findVarHandle(GeneratorChannel.class, "producerWaiter", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Thrown by {@link #yield} once the generator is closed, to unwind the body. Not for catching. */
    private static final class Cancelled extends Error {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("the generator was closed, so its body is being stopped: let this error propagate", null,
                    false, false);
        }
    }

    private static final Cancelled CANCELLED = new Cancelled();

    private final Object[] slots = new Object[CAPACITY];
    private final Generator.Body<T> body;

    // written by the consumer, read by the producer: the values taken, as last published
    private long head;
    private long taken;      // the values taken, as the consumer knows it
    // written by the producer, read by the consumer
    private long tail;
    private long headCache;  // the producer's copy of head
    private long tailCache;  // the consumer's copy of tail
    private volatile Thread consumerWaiter;
    private volatile Thread producerWaiter;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile boolean done;
    private Throwable failure; // written before done

    GeneratorChannel(Generator.Body<T> body) {
        this.body = body;
    }

    /** Starts the body on a new daemon platform thread called {@code name}. */
    void start(String name) {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(this);
        thread = t;
        t.start();
    }

    Thread thread() {
        return thread;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public void run() {
        try {
            body.run(this);
        } catch (Cancelled stopped) {
            // closed: the consumer wants nothing more
        } catch (Throwable e) {
            if (!closed) {
                failure = e;
            }
        } finally {
            done = true;
            wake(CONSUMER_WAITER);
        }
    }

    @Override
    public void yield(T value) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("Sink.yield was called on thread " + Thread.currentThread().getName()
                    + ", but only the generator's body thread " + thread.getName()
                    + " may call it: yield from the body itself, not from threads it starts");
        }
        if (closed) {
            throw CANCELLED;
        }
        long t = tail;
        if (t - headCache >= CAPACITY) {
            awaitRoom(t);
        }
        slots[(int) t & MASK] = value;
        TAIL.setVolatile(this, t + 1);
        if (consumerWaiter != null) {
            wake(CONSUMER_WAITER);
        }
    }

    private void awaitRoom(long t) {
        for (int round = 0; ; round++) {
            headCache = (long) HEAD.getVolatile(this);
            if (t - headCache < CAPACITY) {
                return;
            }
            if (closed) {
                throw CANCELLED;
            }
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                producerWaiter = Thread.currentThread();
                headCache = (long) HEAD.getVolatile(this);
                if (t - headCache >= CAPACITY && !closed) {
                    LockSupport.park(this);
                }
                producerWaiter = null;
            }
        }
    }

    /**
     * Waits until a value is ready for {@link #take} (true) or the body has returned and every value was
     * taken (false).
     *
     * @throws GeneratorException if the body threw and every value it yielded before was taken
     */
    boolean awaitItem() {
        long h = taken;
        if (h != tailCache) {
            return true;
        }
        if (h != head) {
            publish(h);
        }
        for (int round = 0; ; round++) {
            tailCache = (long) TAIL.getVolatile(this);
            if (h != tailCache) {
                return true;
            }
            if (done) {
                tailCache = (long) TAIL.getVolatile(this);
                if (h != tailCache) {
                    return true;
                }
                if (failure != null) {
                    throw new GeneratorException(failure);
                }
                return false;
            }
            if (round < SPINS) {
                Thread.onSpinWait();
            } else if (round < SPINS + YIELDS) {
                Thread.yield();
            } else {
                consumerWaiter = Thread.currentThread();
                if ((long) TAIL.getVolatile(this) == h && !done) {
                    LockSupport.park(this);
                }
                consumerWaiter = null;
            }
        }
    }

    /** The next value; call only after {@link #awaitItem} returned true. */
    @SuppressWarnings("unchecked")
    T take() {
        long h = taken;
        int slot = (int) h & MASK;
        T value = (T) slots[slot];
        slots[slot] = null;
        taken = ++h;
        if (h - head >= PUBLISH_EVERY) {
            publish(h);
        }
        return value;
    }

    /** Frees the slots of the values taken so far for the producer, and wakes it once half the ring is free. */
    private void publish(long h) {
        HEAD.setVolatile(this, h);
        if (producerWaiter != null && tailCache - h <= CAPACITY / 2) {
            wake(PRODUCER_WAITER);
        }
    }

    /** Closes: a pending or later {@link #yield} throws, and the body's thread is interrupted. Idempotent. */
    void cancel() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            LockSupport.unpark(t);
        }
    }

    /** Unparks the thread in {@code waiter}, if any, and clears it so it is woken once. */
    private void wake(VarHandle waiter) {
        Thread t = (Thread) waiter.getAndSet(this, (Thread) null);
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    @Override
    public String toString() {
        Thread t = thread;
        return (closed ? "closed" : done ? "ended" : t == null ? "not started" : "running") + ", thread "
                + (t == null ? "none" : t.getName()) + ", yielded " + tail + ", taken " + taken;
    }
}
