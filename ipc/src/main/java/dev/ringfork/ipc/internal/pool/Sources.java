package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.Generator;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.BaseStream;

/** Turns what a caller passes as the items of a pool call into a {@link Source}. */
public final class Sources {

    /** The kinds {@link #of} accepts, for messages. */
    static final String ACCEPTED = "an Iterator, an Iterable (e.g. a List), a Stream (also IntStream, LongStream, "
            + "DoubleStream), a Spliterator, or a dev.ringfork.ipc.pool.Generator";

    private Sources() {
    }

    /**
     * A lazy source over {@code source}: a {@link Generator}, a {@link BaseStream} (a {@code Stream}, or
     * an {@code IntStream}, {@code LongStream} or {@code DoubleStream}, whose items are boxed), an
     * {@link Iterator}, an {@link Iterable} or a {@link Spliterator}. Closing the source closes a stream
     * or generator, and an iterator or iterable that is {@link AutoCloseable}. An {@code Iterable}'s
     * iterator is asked for here; items are pulled only by {@link Source#next()}.
     *
     * @throws IllegalArgumentException if {@code source} is none of these (the message names its type)
     * @throws NullPointerException if {@code source} is null
     */
    @SuppressWarnings("unchecked")
    public static <T> Source<T> of(Object source) {
        if (source == null) {
            throw new NullPointerException("the items are null: pass " + ACCEPTED);
        }
        return switch (source) {
            case Generator<?> generator -> new Source<>((Iterator<T>) generator, generator, "Generator");
            case BaseStream<?, ?> stream -> new Source<>((Iterator<T>) stream.iterator(), stream, streamKind(stream));
            case Iterator<?> iterator -> new Source<>((Iterator<T>) iterator, closeable(iterator),
                    "Iterator " + source.getClass().getName());
            case Iterable<?> iterable -> new Source<>((Iterator<T>) iterable.iterator(), closeable(iterable),
                    "Iterable " + source.getClass().getName());
            case Spliterator<?> spliterator -> new Source<>((Iterator<T>) Spliterators.iterator(spliterator), null,
                    "Spliterator " + source.getClass().getName());
            default -> throw new IllegalArgumentException(rejection(source));
        };
    }

    /**
     * The lists {@code [a, b, ...]} of the items of {@code columns} taken side by side, in order, up to the
     * shortest (Python's {@code zip}): an iterable, for {@code starmap}.
     */
    public static Iterable<List<Object>> zip(Iterable<?>... columns) {
        return () -> {
            List<Iterator<?>> iterators = Arrays.stream(columns).<Iterator<?>>map(Iterable::iterator).toList();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return iterators.stream().allMatch(Iterator::hasNext);
                }

                @Override
                public List<Object> next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    List<Object> arguments = new java.util.ArrayList<>(iterators.size());
                    for (Iterator<?> column : iterators) {
                        arguments.add(column.next());
                    }
                    return arguments;
                }
            };
        };
    }

    private static String streamKind(BaseStream<?, ?> stream) {
        for (Class<?> kind : new Class<?>[] {java.util.stream.Stream.class, java.util.stream.IntStream.class,
                java.util.stream.LongStream.class, java.util.stream.DoubleStream.class}) {
            if (kind.isInstance(stream)) {
                return kind.getSimpleName();
            }
        }
        return "BaseStream " + stream.getClass().getName();
    }

    private static AutoCloseable closeable(Object source) {
        return source instanceof AutoCloseable closeable ? closeable : null;
    }

    private static String rejection(Object source) {
        Class<?> type = source.getClass();
        String hint = "";
        if (type.isArray()) {
            hint = type.getComponentType().isPrimitive()
                    ? "; for an array use Arrays.stream(array)"
                    : "; for an array use Arrays.asList(array) or Arrays.stream(array)";
        } else if (source instanceof Map<?, ?>) {
            hint = "; for a Map pass map.entrySet(), map.keySet() or map.values()";
        } else if (source instanceof CharSequence) {
            hint = "; for the characters of a string pass text.chars(), for one string List.of(text)";
        }
        return "cannot use a " + type.getName() + " as the items: pass " + ACCEPTED + hint;
    }
}
