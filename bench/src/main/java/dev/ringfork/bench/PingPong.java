package dev.ringfork.bench;

import dev.ringfork.core.memory.SharedRegion;
import dev.ringfork.core.sync.Futex;
import dev.ringfork.core.sync.SharedInt;

import java.util.concurrent.TimeUnit;

/**
 * The words the futex ping-pong benchmark and its {@link FutexPartner} share, and the wait/wake protocol
 * both sides use. The parent writes a new value to {@code ping}; the partner copies it to {@code pong}.
 *
 * <p>Each side announces that it sleeps in a {@code *Sleeping} word before its futex wait, and the writer
 * makes the wake syscall only when it sees that flag (all accesses volatile, so either the writer sees the
 * flag or the sleeper sees the new value; the kernel re-checks the value too). So a spinning receiver
 * costs no syscall, and a sleeping one is always woken.
 */
final class PingPong {

    /** Written to {@code ping} to make the partner exit; counting values are never negative. */
    static final int STOP = -1;
    /** One futex sleep; after it the sleeper re-checks and, on a timeout, runs its liveness check. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    final SharedInt ping;
    final SharedInt pong;
    final SharedInt pingSleeping;
    final SharedInt pongSleeping;
    /** Set to 1 by the partner once it has attached. */
    final SharedInt ready;
    private final Futex futex = Futex.system();

    PingPong(SharedRegion region) {
        ping = region.sharedInt("ping");
        pong = region.sharedInt("pong");
        pingSleeping = region.sharedInt("pingSleeping");
        pongSleeping = region.sharedInt("pongSleeping");
        ready = region.sharedInt("ready");
    }

    /** Stores {@code value} and wakes the other side if it announced it sleeps on {@code word}. */
    void publish(SharedInt word, SharedInt sleeping, int value) {
        word.set(value);
        if (sleeping.get() != 0) {
            futex.wake(word.segment(), word.offset(), 1);
        }
    }

    /** Stores {@code value} and wakes whoever sleeps on {@code word}, flag or not. */
    void publishAndWake(SharedInt word, int value) {
        word.set(value);
        futex.wake(word.segment(), word.offset(), Integer.MAX_VALUE);
    }

    /**
     * Waits until {@code word} differs from {@code old} and returns its new value: first up to
     * {@code spins} reads with {@link Thread#onSpinWait()}, then futex sleeps of {@link #SLICE_NANOS},
     * calling {@code onTimeout} (which may throw) after each sleep that timed out.
     */
    int awaitChange(SharedInt word, SharedInt sleeping, int old, int spins, Runnable onTimeout) {
        for (int i = 0; i < spins; i++) {
            int value = word.get();
            if (value != old) {
                return value;
            }
            Thread.onSpinWait();
        }
        sleeping.set(1);
        try {
            for (;;) {
                int value = word.get();
                if (value != old) {
                    return value;
                }
                if (!futex.wait(word.segment(), word.offset(), old, SLICE_NANOS)) {
                    onTimeout.run();
                }
            }
        } finally {
            sleeping.set(0);
        }
    }

    /** Sleeps on {@code word} while it equals {@code expected}, at most one slice. */
    void sleepOnce(SharedInt word, int expected) {
        futex.wait(word.segment(), word.offset(), expected, SLICE_NANOS);
    }
}
