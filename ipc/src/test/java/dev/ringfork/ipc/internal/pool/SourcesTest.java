package dev.ringfork.ipc.internal.pool;

import dev.ringfork.ipc.pool.Generator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.DoubleStream;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SourcesTest {

    /** An endless iterator that counts the items it hands out, and whether it was closed. */
    static final class CountingIterator implements Iterator<Integer>, AutoCloseable {
        int pulls;
        int closes;

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Integer next() {
            return pulls++;
        }

        @Override
        public void close() {
            closes++;
        }
    }

    private static <T> List<T> drain(Source<T> source) {
        List<T> items = new ArrayList<>();
        source.forEachRemaining(items::add);
        return items;
    }

    @Test
    void iteratorIsPulledLazilyAndCounted() {
        CountingIterator counting = new CountingIterator();
        Source<Integer> source = Sources.of(counting);
        assertEquals(0, counting.pulls);
        for (int i = 0; i < 5; i++) {
            assertTrue(source.hasNext());
            assertTrue(source.hasNext());
            assertEquals(i, source.next());
            assertEquals(i + 1, counting.pulls, "one pull per next()");
            assertEquals(i + 1, source.pulled());
        }
        source.close();
        source.close();
        assertEquals(1, counting.closes, "a closeable iterator is closed once");
        assertFalse(source.hasNext());
        assertThrows(NoSuchElementException.class, source::next);
        assertEquals(5, counting.pulls);
    }

    @Test
    void iterable() {
        Source<String> source = Sources.of(List.of("a", "b", "c"));
        assertEquals(List.of("a", "b", "c"), drain(source));
        assertEquals(3, source.pulled());
        assertTrue(source.kind().contains("Iterable"), source.kind());
        source.close();
    }

    @Test
    void streamIsLazyAndClosedWithTheSource() {
        AtomicInteger pulls = new AtomicInteger();
        AtomicInteger closes = new AtomicInteger();
        Stream<Integer> stream = Stream.iterate(0, i -> i + 1).peek(i -> pulls.incrementAndGet()).onClose(closes::incrementAndGet);
        try (Source<Integer> source = Sources.of(stream)) {
            assertEquals("Stream", source.kind());
            for (int i = 0; i < 4; i++) {
                assertEquals(i, source.next());
                assertEquals(i + 1, pulls.get());
            }
            assertEquals(4, source.pulled());
        }
        assertEquals(1, closes.get());
    }

    @Test
    void primitiveStreamsAreBoxed() {
        assertEquals(List.of(0, 1, 2), drain(Sources.of(IntStream.range(0, 3))));
        assertEquals(List.of(5L, 6L), drain(Sources.of(LongStream.of(5, 6))));
        assertEquals(List.of(0.5, 1.5), drain(Sources.of(DoubleStream.of(0.5, 1.5))));
        AtomicInteger closes = new AtomicInteger();
        Source<Integer> source = Sources.of(IntStream.of(1).onClose(closes::incrementAndGet));
        assertEquals("IntStream", source.kind());
        source.close();
        assertEquals(1, closes.get());
    }

    @Test
    void spliterator() {
        Source<Integer> source = Sources.of(List.of(1, 2, 3).spliterator());
        assertEquals(List.of(1, 2, 3), drain(source));
        assertEquals(3, source.pulled());
    }

    @Test
    void generatorIsClosedWithTheSource() throws InterruptedException {
        Generator<Integer> generator = Generator.of(sink -> {
            for (int i = 0; ; i++) {
                sink.yield(i);
            }
        });
        Source<Integer> source = Sources.of(generator);
        assertEquals("Generator", source.kind());
        assertEquals(0, source.next());
        assertEquals(1, source.next());
        source.close();
        assertFalse(generator.hasNext());
        assertFalse(source.hasNext());
        assertEquals(2, source.pulled());
    }

    @Test
    void otherTypesAreRefusedWithTheAcceptedOnesListed() {
        IllegalArgumentException object = assertThrows(IllegalArgumentException.class, () -> Sources.of(new Object()));
        assertTrue(object.getMessage().contains("java.lang.Object"), object.getMessage());
        for (String accepted : List.of("Iterator", "Iterable", "Stream", "Spliterator", "Generator")) {
            assertTrue(object.getMessage().contains(accepted), object.getMessage());
        }
        String array = assertThrows(IllegalArgumentException.class, () -> Sources.of(new int[3])).getMessage();
        assertTrue(array.contains("[I") && array.contains("Arrays.stream"), array);
        String objects = assertThrows(IllegalArgumentException.class, () -> Sources.of(new String[3])).getMessage();
        assertTrue(objects.contains("Arrays.asList"), objects);
        String map = assertThrows(IllegalArgumentException.class, () -> Sources.of(Map.of(1, 2))).getMessage();
        assertTrue(map.contains("entrySet"), map);
        assertThrows(NullPointerException.class, () -> Sources.of(null));
    }

    @Test
    void aCheckedFailureWhileClosingIsReported() {
        class Failing implements Iterable<Integer>, AutoCloseable {
            @Override
            public Iterator<Integer> iterator() {
                return List.of(1).iterator();
            }

            @Override
            public void close() throws IOException {
                throw new IOException("disk gone");
            }
        }
        Source<Integer> source = Sources.of(new Failing());
        IllegalStateException e = assertThrows(IllegalStateException.class, source::close);
        assertInstanceOf(IOException.class, e.getCause());
        assertTrue(source.isClosed());
        source.close();
    }
}
