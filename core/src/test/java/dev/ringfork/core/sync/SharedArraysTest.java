package dev.ringfork.core.sync;

import dev.ringfork.core.memory.RegionOptions;
import dev.ringfork.core.memory.SharedRegion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contracts of the shared typed arrays, SharedDouble and the bounded semaphore, in one process. */
class SharedArraysTest {

    @TempDir
    Path temp;

    private SharedRegion region() {
        return SharedRegion.create("arrays", RegionOptions.defaults().withDirectory(temp));
    }

    @Test
    void longArrayReadsWritesAndUpdatesAtomically() {
        try (SharedRegion region = region()) {
            SharedLongArray array = region.longArray("totals", 5);
            assertEquals(5, array.length());
            array.set(0, 7);
            array.setPlain(4, -1);
            assertEquals(7, array.getAndAdd(0, 3));
            assertTrue(array.compareAndSet(0, 10, 11));
            assertFalse(array.compareAndSet(0, 10, 12), "the value is 11 now");
            assertArrayEquals(new long[] {11, 0, 0, 0, -1}, array.toArray());
            array.copyFrom(new long[] {9, 8, 7}, 1, 2, 2);
            long[] target = new long[4];
            array.copyTo(1, target, 1, 3);
            assertArrayEquals(new long[] {0, 0, 8, 7}, target);
            assertEquals(8, array.asSegment().getAtIndex(ValueLayout.JAVA_LONG, 2), "zero-copy view");
            assertEquals(11, region.longArray("totals", 5).get(0), "attached, not created again");
            assertThrows(IndexOutOfBoundsException.class, () -> array.get(5));
            assertThrows(IndexOutOfBoundsException.class, () -> array.copyTo(3, new long[3], 0, 3));
        }
    }

    @Test
    void intAndDoubleArraysToo() {
        try (SharedRegion region = region()) {
            SharedIntArray ints = region.intArray("ints", 3);
            ints.set(1, 5);
            assertEquals(5, ints.getAndAdd(1, 2));
            assertTrue(ints.compareAndSet(1, 7, 8));
            assertArrayEquals(new int[] {0, 8, 0}, ints.toArray());
            assertEquals(12, ints.asSegment().byteSize());

            SharedDoubleArray doubles = region.doubleArray("doubles", 2);
            doubles.set(0, 1.5);
            assertEquals(1.5, doubles.getAndAdd(0, 0.25));
            assertEquals(3.5, doubles.updateAndGet(0, v -> v * 2));
            assertTrue(doubles.compareAndSet(0, 3.5, -0.0));
            assertFalse(doubles.compareAndSet(0, 0.0, 1.0), "raw bits: 0.0 is not -0.0");
            doubles.copyFrom(new double[] {2.5}, 0, 1, 1);
            assertArrayEquals(new double[] {-0.0, 2.5}, doubles.toArray());
        }
    }

    @Test
    void attachingWithAnotherLengthOrTypeSaysSo() {
        try (SharedRegion region = region()) {
            region.longArray("totals", 4);
            IllegalStateException length = assertThrows(IllegalStateException.class, () -> region.longArray("totals", 6));
            assertTrue(length.getMessage().contains("has 4 elements, 6 were asked for"), length.getMessage());
            IllegalStateException shorter = assertThrows(IllegalStateException.class, () -> region.longArray("totals", 2));
            assertTrue(shorter.getMessage().contains("has 4 elements, 2 were asked for"), shorter.getMessage());
            IllegalStateException kind = assertThrows(IllegalStateException.class, () -> region.intArray("totals", 4));
            assertTrue(kind.getMessage().contains("LONG_ARRAY"), kind.getMessage());
            assertThrows(IllegalArgumentException.class, () -> region.intArray("negative", -1));
            assertEquals(0, region.doubleArray("empty", 0).length());
        }
    }

    @Test
    void sharedDoubleUpdatesAtomically() {
        try (SharedRegion region = region()) {
            SharedDouble price = region.sharedDouble("price", 2.0);
            assertEquals(2.0, region.sharedDouble("price", 99.0).get(), "the initial value is used only on creation");
            assertEquals(2.0, price.getAndAdd(0.5));
            assertEquals(3.0, price.addAndGet(0.5));
            assertEquals(9.0, price.updateAndGet(v -> v * v));
            assertTrue(price.compareAndSet(9.0, Double.NaN));
            assertTrue(price.compareAndSet(Double.NaN, 1.0), "NaN compares by its bits");
            price.set(-4.0);
            assertEquals(-4.0, price.get());
        }
    }

    @Test
    void boundedSemaphoreRefusesAReleasePastItsBound() throws InterruptedException {
        try (SharedRegion region = region()) {
            SharedSemaphore slots = region.boundedSemaphore("slots", 2);
            assertEquals(2, slots.bound());
            IllegalStateException early = assertThrows(IllegalStateException.class, slots::release);
            assertTrue(early.getMessage().contains("bound of 2"), early.getMessage());
            assertTrue(slots.tryAcquire());
            assertTrue(slots.tryAcquire(10, java.util.concurrent.TimeUnit.MILLISECONDS));
            assertFalse(slots.tryAcquire(10, java.util.concurrent.TimeUnit.MILLISECONDS), "none left: times out");
            assertThrows(IllegalStateException.class, () -> slots.release(3));
            assertEquals(0, slots.availablePermits(), "a refused release gives back nothing");
            slots.release(2);
            assertEquals(2, slots.availablePermits());
            IllegalStateException bound = assertThrows(IllegalStateException.class, () -> region.boundedSemaphore("slots", 3));
            assertTrue(bound.getMessage().contains("bounded at 2"), bound.getMessage());
            assertThrows(IllegalStateException.class, () -> region.semaphore("slots", 2), "another kind");
            SharedSemaphore unbounded = region.semaphore("free", 0);
            unbounded.release(5);
            assertEquals(0, unbounded.bound());
            assertEquals(5, unbounded.availablePermits());
        }
    }
}
