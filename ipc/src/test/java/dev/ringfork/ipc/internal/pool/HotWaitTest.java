package dev.ringfork.ipc.internal.pool;

import dev.ringfork.core.sync.Doorbell;
import dev.ringfork.core.sync.WaitStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class HotWaitTest {

    @Test
    void aWaitEndsWithTheNewsWhetherItIsStillHotOrAsleep() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            Doorbell bell = Doorbell.at(arena.allocate(128, 64), 0);
            HotWait wait = new HotWait(WaitStrategy.adaptive());
            for (boolean hot : new boolean[] {true, false}) {
                wait.hot = hot;
                AtomicBoolean news = new AtomicBoolean();
                Thread ringer = Thread.ofPlatform().start(() -> {
                    news.set(true);
                    bell.ring();
                });
                assertTrue(wait.await(bell, news::get, System.nanoTime() + TimeUnit.SECONDS.toNanos(20)));
                ringer.join();
            }
        }
    }

    @Test
    void aWaitWithoutNewsEndsAtItsDeadline() throws Exception {
        try (Arena arena = Arena.ofShared()) {
            Doorbell bell = Doorbell.at(arena.allocate(128, 64), 0);
            HotWait wait = new HotWait(WaitStrategy.adaptive());
            assertFalse(wait.await(bell, () -> false, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20)));
            assertFalse(wait.await(bell, () -> false, System.nanoTime() - 1)); // passed already
        }
    }

    @Test
    void aSubmitFutureAnswersLikeAnyCompletableFuture() throws Exception {
        SpinFirstFuture<String> never = new SpinFirstFuture<>();
        assertThrows(TimeoutException.class, () -> never.get(20, TimeUnit.MILLISECONDS));
        SpinFirstFuture<String> later = new SpinFirstFuture<>();
        CompletableFuture<Integer> length = later.thenApply(String::length);
        assertSame(CompletableFuture.class, length.getClass());
        Thread.ofPlatform().start(() -> later.complete("answer"));
        assertEquals("answer", later.get());
        assertEquals("answer", later.join());
        assertEquals(6, length.get(20, TimeUnit.SECONDS));
    }
}
