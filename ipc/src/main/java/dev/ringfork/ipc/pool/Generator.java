package dev.ringfork.ipc.pool;

import java.lang.ref.Cleaner;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A lazy source written as a loop that pushes values, like a Python generator:
 * <pre>{@code
 * try (Generator<Long> squares = Generator.of(sink -> {
 *     for (long i = 0; ; i++) {
 *         sink.yield(i * i);                  // blocks while the consumer is behind
 *     }
 * })) {
 *     pool.imap(fn, squares).forEachRemaining(System.out::println);
 * }
 * }</pre>
 * The body runs on its own daemon thread ({@code ringfork-generator-N}), started by the first
 * {@link #hasNext()} or {@link #next()}. At most {@link #BUFFER} yielded values wait for the consumer,
 * so an endless body uses bounded memory. {@link #close()} (or closing {@link #stream()}) stops the body:
 * its pending or next {@code yield} throws an internal error that unwinds it, and the thread is
 * interrupted in case it waits on something else. A generator dropped without closing is closed when
 * it is garbage collected. If the body throws, the consumer gets the values yielded before, then a
 * {@link GeneratorException} with the cause.
 *
 * <p>One thread at a time may consume a generator; only the body's thread may call {@code yield}.
 *
 * @param <T> the type of the values
 */
public final class Generator<T> implements Iterator<T>, AutoCloseable {

    /** How many yielded values at most wait for the consumer. */
    public static final int BUFFER = GeneratorChannel.CAPACITY;

    private static final AtomicLong THREADS = new AtomicLong();
    private static final Cleaner CLEANER = Cleaner.create();

    /**
     * The code of a generator: it calls {@link Sink#yield} for each value and returns when there are no
     * more (or throws, and the consumer gets a {@link GeneratorException}).
     *
     * @param <T> the type of the values
     */
    @FunctionalInterface
    public interface Body<T> {
        /** Produces the values into {@code sink}, on the generator's thread. */
        void run(Sink<T> sink) throws Exception;
    }

    /**
     * Where a {@link Body} puts its values. Call it qualified ({@code sink.yield(v)}): Java does not
     * allow an unqualified call of a method named {@code yield}.
     *
     * @param <T> the type of the values
     */
    public interface Sink<T> {
        /**
         * Hands {@code value} (may be null) to the consumer; blocks while {@link Generator#BUFFER} values
         * are waiting. Once the generator is closed it throws an internal error: let it propagate.
         *
         * @throws IllegalStateException if called from a thread other than the body's
         */
        void yield(T value);
    }

    private final GeneratorChannel<T> channel;
    private final Cleaner.Cleanable cleanable;
    private boolean started;

    private Generator(Body<T> body) {
        this.channel = new GeneratorChannel<>(body);
        this.cleanable = CLEANER.register(this, channel::cancel);
    }

    /** A generator running {@code body}; nothing runs until the first {@link #hasNext()} or {@link #next()}. */
    public static <T> Generator<T> of(Body<T> body) {
        return new Generator<>(Objects.requireNonNull(body, "body"));
    }

    /**
     * Whether the body has yielded another value, waiting for it if needed; false after {@link #close()}.
     *
     * @throws GeneratorException if the body threw (after all the values it yielded before)
     */
    @Override
    public boolean hasNext() {
        if (channel.isClosed()) {
            return false;
        }
        if (!started) {
            started = true;
            channel.start("ringfork-generator-" + THREADS.incrementAndGet());
        }
        return channel.awaitItem();
    }

    /**
     * The next value the body yielded, waiting for it if needed.
     *
     * @throws NoSuchElementException if the body returned and every value was taken, or after close
     * @throws GeneratorException if the body threw (after all the values it yielded before)
     */
    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException(channel.isClosed() ? "the generator is closed" : "the generator has ended");
        }
        return channel.take();
    }

    /**
     * Stops the body (its pending or next {@code yield} throws, and its thread is interrupted) and drops
     * the waiting values; {@link #hasNext()} is false from now on. Idempotent; does not wait for the
     * body's thread to end.
     */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The values as a sequential, ordered stream; closing the stream closes this generator. */
    public Stream<T> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /** The body's thread, or null before the first {@link #hasNext()}: for tests. */
    Thread bodyThread() {
        return channel.thread();
    }

    @Override
    public String toString() {
        return "Generator[" + channel + "]";
    }
}
