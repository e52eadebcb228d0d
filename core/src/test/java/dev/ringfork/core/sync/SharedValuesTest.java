package dev.ringfork.core.sync;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedValuesTest {

    @Test
    void sharedIntOperations() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(128, 128);
            SharedInt v = SharedInt.at(memory, 4);
            assertEquals(0, v.get());
            v.set(5);
            assertEquals(5, v.getPlain());
            v.setPlain(6);
            assertEquals(6, v.getAcquire());
            v.setRelease(7);
            assertEquals(7, v.getOpaque());
            v.setOpaque(8);
            assertTrue(v.compareAndSet(8, 9));
            assertFalse(v.compareAndSet(8, 10));
            assertEquals(9, v.compareAndExchange(9, 11));
            assertEquals(11, v.compareAndExchange(9, 12), "failed exchange returns the witness");
            assertEquals(11, v.getAndSet(20));
            assertEquals(20, v.getAndAdd(5));
            assertEquals(30, v.addAndGet(5));
            assertEquals(31, v.incrementAndGet());
            assertEquals(30, v.decrementAndGet());
            assertEquals(30, v.getAndIncrement());
            assertEquals(62, v.updateAndGet(x -> x * 2));
            assertEquals(62, v.getAndUpdate(x -> x + 1));
            assertEquals(163, v.accumulateAndGet(100, Integer::sum));
            assertEquals(0, memory.get(java.lang.foreign.ValueLayout.JAVA_INT, 0), "neighbour untouched");
        }
    }

    @Test
    void sharedLongOperations() {
        try (Arena arena = Arena.ofConfined()) {
            SharedLong v = SharedLong.at(arena.allocate(128, 128), 8);
            v.set(1L << 40);
            assertEquals((1L << 40) + 1, v.incrementAndGet());
            assertTrue(v.compareAndSet((1L << 40) + 1, -1L));
            assertEquals(-1L, v.getAndAdd(2));
            assertEquals(10L, v.updateAndGet(x -> x * 10));
            assertEquals(10L, v.getAndSet(Long.MAX_VALUE));
            assertEquals(Long.MIN_VALUE, v.addAndGet(1), "wraps like AtomicLong");
        }
    }

    @Test
    void misalignedOrOutOfBoundsIsRefused() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment memory = arena.allocate(128, 128);
            assertThrows(IllegalArgumentException.class, () -> SharedInt.at(memory, 2));
            assertThrows(IllegalArgumentException.class, () -> SharedLong.at(memory, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> SharedInt.at(memory, 126));
            assertThrows(IndexOutOfBoundsException.class, () -> SharedLock.at(memory, 8, "x"));
            assertThrows(IllegalArgumentException.class, () -> Futex.system().wait(MemorySegment.ofArray(new int[4]), 0, 0, 1000));
        }
    }

    @Test
    void futexWaitReturnsAtOnceWhenTheValueDiffersAndTimesOutOtherwise() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment word = arena.allocate(128, 128);
            word.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 7);
            assertTrue(Futex.system().wait(word, 0, 8, 10_000_000_000L), "value differs: no sleep");
            assertFalse(Futex.system().wait(word, 0, 7, 1_000_000L), "nobody wakes: times out");
            assertEquals(0, Futex.system().wake(word, 0, 1), "nobody to wake");
        }
    }
}
